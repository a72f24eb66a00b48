import { describe, expect, it } from 'vitest';
import { eventJsonSchema } from './json-schema';
import { uuidv7 } from './uuidv7';
import { validateEvent } from './validate-event';

const contentEvent = (overrides: Record<string, unknown> = {}) => ({
  event_id: uuidv7(),
  event_type: 'content.post_created',
  schema_version: 1,
  user_id: 'u-1',
  client_ts: '2026-11-26T13:05:01.123Z',
  properties: { content_id: 'c-1', hashtags: ['#AI', 'ai', ' WorldCup '] },
  ...overrides,
});

describe(validateEvent.name, () => {
  describe('successful validation', () => {
    it('should accept a content event and normalise its hashtags', () => {
      const result = validateEvent(contentEvent());
      expect(result.ok).toBe(true);
      expect(result.ok && result.event.properties).toMatchObject({ hashtags: ['ai', 'worldcup'] });
    });

    it('should keep properties and context fields it does not know', () => {
      const result = validateEvent(
        contentEvent({ context: { locale: 'en-GB', experiment: 'b' }, properties: { content_id: 'c', mood: 'happy' } }),
      );
      expect(result.ok && result.event).toMatchObject({ context: { experiment: 'b' }, properties: { mood: 'happy' } });
    });

    it('should accept an anonymous ad event with money in micros', () => {
      const result = validateEvent({
        event_id: uuidv7(),
        event_type: 'ad.conversion',
        schema_version: 1,
        anonymous_id: 'anon-9',
        client_ts: '2026-11-26T13:05:01Z',
        properties: { campaign_id: 'cmp', ad_id: 'ad', revenue_micros: 1_990_000, currency: 'USD' },
      });
      expect(result.ok).toBe(true);
    });
  });

  describe('error handling', () => {
    it.each([
      ['a missing event_id', { event_id: undefined }, 'event_id'],
      ['a v4 event_id', { event_id: '3b241101-e2bb-4255-8caf-4136c566a962' }, 'UUID v7'],
      ['an unknown type', { event_type: 'content.teleported' }, 'event_type'],
      ['no user', { user_id: undefined }, 'user_id or anonymous_id'],
      ['a bad time', { client_ts: 'yesterday' }, 'ISO-8601'],
      ['an old schema version', { schema_version: 0 }, 'schema_version 1'],
      ['a content event without content_id', { properties: { hashtags: ['x'] } }, 'properties.content_id'],
    ])('should reject %s with a reason', (_, overrides, reason) => {
      const result = validateEvent(contentEvent(overrides));
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toContain(reason);
    });

    it('should reject something that is not an object', () => {
      expect(validateEvent('hello').ok).toBe(false);
      expect(validateEvent(null).ok).toBe(false);
    });
  });
});

describe(uuidv7.name, () => {
  it('should make version 7 ids that sort by time', () => {
    const first = uuidv7(1_700_000_000_000);
    const second = uuidv7(1_700_000_000_001);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first < second).toBe(true);
  });
});

describe(eventJsonSchema.name, () => {
  it('should export a JSON Schema naming every event type', () => {
    const text = JSON.stringify(eventJsonSchema());
    for (const type of ['user.page_viewed', 'content.liked', 'ad.conversion']) expect(text).toContain(type);
  });
});
