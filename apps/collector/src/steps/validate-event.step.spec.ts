import { uuidv7 } from '@social-pulse/events';
import { describe, expect, it } from 'vitest';
import { deadLetterReason } from '@social-pulse/events';
import { createValidateEventStep } from './validate-event.step';

const contentEvent = (properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  event_id: uuidv7(),
  event_type: 'content.liked',
  schema_version: 1,
  user_id: 'u-1',
  client_ts: '2026-11-26T13:05:01.123Z',
  properties: { content_id: 'c-1', ...properties },
  ...extra,
});

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

describe(createValidateEventStep.name, () => {
  const sut = createValidateEventStep({ maxEventBytes: 4096, maxDepth: 10, maxStringLength: 100 });

  describe('successful validation', () => {
    it('should accept an event at every limit', () => {
      expect(sut(contentEvent({ text: 'x'.repeat(100), deep: nested(9) })).kind).toBe('ok');
    });
  });

  describe('error handling', () => {
    it.each([
      ['properties nested too deep', contentEvent({ deep: nested(10) }), ': nested deeper than 10 levels', 'depth'],
      [
        'context nested too deep',
        contentEvent({}, { context: { a: nested(10) } }),
        'nested deeper than 10 levels',
        'depth',
      ],
      [
        'a long string',
        contentEvent({ text: 'x'.repeat(101) }),
        'properties.text: string of 101 characters; the limit is 100',
        'string_length',
      ],
      [
        'a big event',
        contentEvent({ many: Array.from({ length: 100 }, () => 'y'.repeat(50)) }),
        'the limit is 4096',
        'event_size',
      ],
      ['a bad type', contentEvent({}, { event_type: 'nope' }), 'event_type: expected a known event_type', 'event_type'],
    ])('should reject %s with a reason and a bounded label', (_, event, reason, label) => {
      const outcome = sut(event);
      expect(outcome.kind).toBe('dlq');
      expect(outcome.kind === 'dlq' && outcome.reason).toContain(reason);
      expect(outcome.kind === 'dlq' && deadLetterReason(outcome.reason)).toBe(label);
    });

    it('should survive nesting that would overflow a recursive walk', () => {
      const outcome = sut(JSON.parse(`{"properties":${'['.repeat(200_000)}${']'.repeat(200_000)}}`));
      expect(outcome.kind).toBe('dlq');
    });
  });

  describe('edge cases', () => {
    it('should label client-chosen field names as other', () => {
      expect(deadLetterReason('properties.évil_ключ: nope')).toBe('properties');
      expect(deadLetterReason('whatever-the-client-sent: nope')).toBe('other');
    });
  });
});
