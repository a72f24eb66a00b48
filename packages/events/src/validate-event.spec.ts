import { describe, expect, it } from 'vitest';
import { deadLetterReason } from './dead-letter-reasons';
import { EVENT_TYPES } from './event-types';
import { eventJsonSchema } from './json-schema';
import { AGE_BANDS, GENDERS } from './user-traits';
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

const identifyEvent = (overrides: Record<string, unknown> = {}) => ({
  event_id: uuidv7(),
  event_type: 'user.identified',
  schema_version: 2,
  user_id: 'u-1',
  anonymous_id: 'anon-1',
  client_ts: '2026-11-26T13:05:01.123Z',
  properties: { traits: { age_band: '25-34', gender: 'non_binary', country: 'DE', signup_date: '2024-02-29' } },
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

    it.each(Object.values(EVENT_TYPES).flatMap((types) => types.filter((type) => type !== 'user.identified')))(
      'should accept %s at schema_version 1 and 2',
      (type) => {
        const properties = type.startsWith('ad.') ? { campaign_id: 'cmp', ad_id: 'ad' } : { content_id: 'c-1' };
        for (const version of [1, 2]) {
          const result = validateEvent(contentEvent({ event_type: type, schema_version: version, properties }));
          expect(result.ok, result.ok ? '' : result.reason).toBe(true);
        }
      },
    );
  });

  describe('user.identified', () => {
    it('should accept it with its traits, keeping traits and properties it does not know', () => {
      const traits = { age_band: '65+', gender: 'undisclosed', plan: 'pro', prefs: { theme: 'dark' } };
      const result = validateEvent(identifyEvent({ properties: { traits, source: 'signup' } }));
      expect(result.ok && result.event).toMatchObject({
        user_id: 'u-1',
        anonymous_id: 'anon-1',
        properties: { traits, source: 'signup' },
      });
    });

    it('should accept it without traits, as empty traits', () => {
      const result = validateEvent(identifyEvent({ properties: undefined }));
      expect(result.ok && result.event.properties).toEqual({ traits: {} });
    });

    it.each([
      ['schema_version 1', { schema_version: 1 }, 'schema_version: expected schema_version 2 (user.identified is new'],
      ['no user_id', { user_id: undefined }, 'user_id: expected user_id, which user.identified requires'],
      ['no anonymous_id', { anonymous_id: undefined }, 'anonymous_id: expected anonymous_id, which user.identified'],
    ])('should reject it with %s, with a reason', (_, overrides, reason) => {
      const result = validateEvent(identifyEvent(overrides));
      expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
    });

    it.each([
      ['age_band', '30', `expected an age band: ${AGE_BANDS.slice(0, -1).join(', ')} or 65+`],
      ['gender', 'other', 'expected a gender: female, male, non_binary or undisclosed'],
      ['country', 'de', 'expected an ISO 3166-1 alpha-2 country in upper case such as DE'],
      ['country', 'DEU', 'expected an ISO 3166-1 alpha-2 country in upper case such as DE'],
      ['signup_date', '2023-02-29', 'expected a date such as 2026-11-26'],
      ['signup_date', '2024-01-01T00:00:00Z', 'expected a date such as 2026-11-26'],
    ])('should reject the trait %s = %j with a reason naming it', (field, value, message) => {
      const result = validateEvent(identifyEvent({ properties: { traits: { [field]: value } } }));
      expect(result).toEqual({ ok: false, reason: `properties.traits.${field}: ${message}` });
      expect(!result.ok && deadLetterReason(result.reason)).toBe('properties');
    });

    it('should reject traits that are not an object', () => {
      const result = validateEvent(identifyEvent({ properties: { traits: ['25-34'] } }));
      expect(!result.ok && result.reason).toMatch(/^properties\.traits: expected an object of traits/);
    });
  });

  describe('error handling', () => {
    it.each([
      ['a missing event_id', { event_id: undefined }, 'event_id'],
      ['a v4 event_id', { event_id: '3b241101-e2bb-4255-8caf-4136c566a962' }, 'UUID v7'],
      ['an unknown type', { event_type: 'content.teleported' }, 'event_type'],
      ['no user', { user_id: undefined }, 'user_id or anonymous_id'],
      ['a bad time', { client_ts: 'yesterday' }, 'ISO-8601'],
      ['an unknown schema version', { schema_version: 0 }, 'schema_version: expected schema_version 1 or 2'],
      ['a future schema version', { schema_version: 3 }, 'schema_version: expected schema_version 1 or 2'],
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
    for (const type of Object.values(EVENT_TYPES).flat()) expect(text).toContain(`"${type}"`);
  });

  it("should list user.identified's traits with their allowed values", () => {
    const text = JSON.stringify(eventJsonSchema());
    expect(text).toContain(JSON.stringify(AGE_BANDS));
    expect(text).toContain(JSON.stringify(GENDERS));
  });
});
