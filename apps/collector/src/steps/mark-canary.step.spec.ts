import { CANARY_CLAIM_REASON } from '@social-pulse/events';
import { describe, expect, it } from 'vitest';
import { createMarkCanaryStep } from './mark-canary.step';

describe('mark canary step', () => {
  const mark = createMarkCanaryStep();
  const event = { event_id: 'e-1', event_type: 'content.post_created' };

  it("marks every event of the canary's requests", () => {
    expect(mark(event, { canary: true })).toEqual({ kind: 'ok', value: { ...event, canary: true } });
    expect(mark({ ...event, canary: false }, { canary: true })).toEqual({
      kind: 'ok',
      value: { ...event, canary: true },
    });
  });

  it('rejects an event of any other request that carries the marker, whatever its value', () => {
    for (const canary of [true, false, null, 'yes']) {
      expect(mark({ ...event, canary }, {})).toEqual({
        kind: 'dlq',
        reason: CANARY_CLAIM_REASON,
        raw: { ...event, canary },
      });
    }
  });

  it('passes other events and non-objects on unchanged, for validation to judge', () => {
    expect(mark(event, {})).toEqual({ kind: 'ok', value: event });
    expect(mark([1], { canary: true })).toEqual({ kind: 'ok', value: [1] });
    expect(mark(null, {})).toEqual({ kind: 'ok', value: null });
  });
});
