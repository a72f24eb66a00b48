import { describe, expect, it } from 'vitest';
import { answerEnvelope } from './answer-envelope';

const NOW = Date.parse('2025-06-01T12:00:10.000Z');
const snapshot = { data: { n: 1 }, data_time: '2025-06-01T12:00:00.000Z', computed_at: '2025-06-01T12:00:01.500Z' };

describe(answerEnvelope.name, () => {
  it('should add the age at answering time, the source and the rule', () => {
    expect(answerEnvelope(snapshot, { source: 'redis', staleAfterMs: 16_000, now: NOW })).toEqual({
      ...snapshot,
      age_ms: 10_000,
      source: 'redis',
      stale: false,
      stale_after_ms: 16_000,
    });
  });

  it('should be stale only past stale_after_ms', () => {
    const at = (staleAfterMs: number) => answerEnvelope(snapshot, { source: 'clickhouse', staleAfterMs, now: NOW });
    expect(at(10_000).stale).toBe(false);
    expect(at(9_999).stale).toBe(true);
  });

  it('should be stale, without an age, when there is no data time', () => {
    const empty = { data: [], data_time: null, computed_at: null };
    expect(answerEnvelope(empty, { source: 'clickhouse', staleAfterMs: 16_000, now: NOW })).toMatchObject({
      age_ms: null,
      stale: true,
    });
  });

  it('should not answer a negative age for data time ahead of the clock', () => {
    const ahead = { ...snapshot, data_time: '2025-06-01T12:00:11.000Z' };
    expect(answerEnvelope(ahead, { source: 'redis', staleAfterMs: 1, now: NOW }).age_ms).toBe(0);
  });
});
