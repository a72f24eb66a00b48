import { describe, expect, it } from 'vitest';
import { KAFKA_RETENTION_CHECK_MS, flinkStateAgesOutAt, kafkaAgesOutAt } from './erase-user.plan';

const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const DAY = 86_400_000;

describe(kafkaAgesOutAt.name, () => {
  it('should take the latest topic: its segment roll, its retention and a retention check', () => {
    const at = kafkaAgesOutAt(
      [
        { topic: 'user-events', retentionMs: 7 * DAY, segmentMs: 7 * DAY },
        { topic: 'events-dlq', retentionMs: 14 * DAY, segmentMs: 1 * DAY },
      ],
      NOW,
    );
    expect(at).toBe(new Date(NOW + 15 * DAY + KAFKA_RETENTION_CHECK_MS).toISOString());
  });

  it.each([
    [-1, DAY],
    [Number.NaN, DAY],
    [DAY, Number.NaN],
  ])('should say never (null) for retention %s and segment %s', (retentionMs, segmentMs) => {
    expect(kafkaAgesOutAt([{ topic: 't', retentionMs, segmentMs }], NOW)).toBeNull();
  });

  it('should say nothing (null) without topics', () => {
    expect(kafkaAgesOutAt([], NOW)).toBeNull();
  });
});

describe(flinkStateAgesOutAt.name, () => {
  it('should be the 30-day profile TTL after now', () => {
    expect(flinkStateAgesOutAt(NOW)).toBe('2026-12-27T12:00:00.000Z');
  });
});
