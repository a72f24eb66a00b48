import { describe, expect, it } from 'vitest';
import { PulseError } from '../console';
import { backfillInput } from './backfill';

describe(backfillInput.name, () => {
  it('should send only the view when no option is given, so the workflow keeps its defaults', () => {
    expect(backfillInput('engagement_minute_mv', {})).toEqual({ view: 'engagement_minute_mv' });
  });

  it('should turn the options into the workflow input', () => {
    expect(
      backfillInput('ad_performance_hour_mv', { from: '2026-11-01', maxChunkRows: '1000', settleSeconds: '0' }),
    ).toEqual({ view: 'ad_performance_hour_mv', from: '2026-11-01', maxChunkRows: 1000, settleSeconds: 0 });
  });

  it.each(['events', 'constructor', 'engagement_minute'])('should refuse the view %j, listing the views', (view) => {
    expect(() => backfillInput(view, {})).toThrow(PulseError);
  });

  it.each(['1e3', '-1', 'ten', '1.5'])('should refuse --max-chunk-rows %j', (maxChunkRows) => {
    expect(() => backfillInput('engagement_minute_mv', { maxChunkRows })).toThrow(/whole number/);
  });
});
