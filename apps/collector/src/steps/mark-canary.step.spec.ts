import { CANARY_CLAIM_REASON, CANARY_ID_CLAIM_REASON, deadLetterReason } from '@social-pulse/events';
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

  it("rejects an event of any other request whose ids take the form the jobs give the canary's", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ user_id: 'CANARY:u-1' }, 'user_id'],
      [{ anonymous_id: 'CANARY:v-1' }, 'anonymous_id'],
      [{ properties: { campaign_id: 'CANARY:c-1', ad_id: 'a-1' } }, 'properties.campaign_id'],
      [{ properties: { campaign_id: 'c-1', impression_id: 'CANARY:i-1' } }, 'properties.impression_id'],
      [{ properties: { campaign_id: 'c-1', click_id: 'CANARY:k-1' } }, 'properties.click_id'],
    ];
    for (const [ids, field] of cases) {
      const raw = { ...event, ...ids };
      expect(mark(raw, {})).toEqual({ kind: 'dlq', reason: `${field}: ${CANARY_ID_CLAIM_REASON}`, raw });
      expect(deadLetterReason(`${field}: ${CANARY_ID_CLAIM_REASON}`)).toBe(field.split('.')[0]);
    }
    // The canary's own requests may (the jobs give its ids that form anyway); others' ids elsewhere may too.
    expect(mark({ ...event, user_id: 'CANARY:u-1' }, { canary: true })).toMatchObject({ kind: 'ok' });
    expect(mark({ ...event, user_id: 'u-1', properties: { ad_id: 'CANARY:a' } }, {})).toMatchObject({ kind: 'ok' });
  });

  it('passes other events and non-objects on unchanged, for validation to judge', () => {
    expect(mark(event, {})).toEqual({ kind: 'ok', value: event });
    expect(mark([1], { canary: true })).toEqual({ kind: 'ok', value: [1] });
    expect(mark(null, {})).toEqual({ kind: 'ok', value: null });
  });
});
