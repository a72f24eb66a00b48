import { z } from 'zod';
import { CANARY_FIELD } from './canary';
import { EVENT_TYPES, SCHEMA_VERSIONS, type SchemaVersion } from './event-types';
import { AGE_BANDS, GENDERS } from './user-traits';

/** Limits that keep one event small; the collector's body limit bounds the batch. */
export const LIMITS = {
  idLength: 128,
  stringLength: 2048,
  hashtags: 30,
  hashtagLength: 100,
} as const;

/** "a, b or c", for reasons that list what is allowed. */
const listed = (values: readonly (string | number)[]) =>
  values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : String(values[0]);

const id = z.string().min(1).max(LIMITS.idLength);
const text = z.string().max(LIMITS.stringLength);
const isoTime = z.iso.datetime({ offset: true, error: 'expected an ISO-8601 time such as 2026-11-26T13:05:01.123Z' });
/** Money travels as integer micros (1 USD = 1,000,000) so sums stay exact. */
const micros = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Device and page context; fields the schema does not know are kept, not dropped. */
const context = z.looseObject({
  page: z.looseObject({ url: text.optional(), path: text.optional(), title: text.optional() }).optional(),
  referrer: text.optional(),
  locale: z.string().max(35).optional(),
  screen: z.looseObject({ width: z.number().int().optional(), height: z.number().int().optional() }).optional(),
  app_version: z.string().max(64).optional(),
  user_agent: text.optional(),
});

/** The versions that know a type: the one that introduced it and every later one. */
const schemaVersionFrom = (introducedIn: SchemaVersion, type?: string) => {
  const versions = SCHEMA_VERSIONS.filter((version) => version >= introducedIn);
  const why = type ? ` (${type} is new in version ${introducedIn})` : '';
  return z.literal(versions, { error: `expected schema_version ${listed(versions)}${why}` });
};

const envelope = {
  event_id: z.uuid({ version: 'v7', error: 'expected a UUID v7 event_id' }),
  schema_version: schemaVersionFrom(1),
  user_id: id.optional(),
  anonymous_id: id.optional(),
  session_id: id.optional(),
  client_ts: isoTime,
  sent_at: isoTime.optional(),
  context: context.optional(),
  [CANARY_FIELD]: z
    .literal(true)
    .describe("Set by the collector on the canary's events only; any other event that carries it is rejected")
    .optional(),
};

const hashtag = z
  .string()
  .max(LIMITS.hashtagLength)
  .transform((tag) => tag.trim().replace(/^#/, '').toLowerCase())
  .pipe(z.string().min(1, 'expected a non-empty hashtag'));

const contentProperties = z.looseObject({
  content_id: id,
  author_id: id.optional(),
  hashtags: z
    .array(hashtag)
    .max(LIMITS.hashtags)
    .default([])
    .transform((tags) => [...new Set(tags)]),
});

const adProperties = z.looseObject({
  campaign_id: id,
  ad_id: id,
  impression_id: id.optional(),
  click_id: id.optional(),
  cost_micros: micros.optional(),
  revenue_micros: micros.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency such as USD')
    .optional(),
});

const userProperties = z.looseObject({});

const userTraits = z
  .looseObject(
    {
      age_band: z.enum(AGE_BANDS, { error: `expected an age band: ${listed(AGE_BANDS)}` }).optional(),
      gender: z
        .enum(GENDERS, { error: `expected a gender: ${listed(GENDERS)}` })
        .describe('undisclosed: the user chose not to say; absent: not asked')
        .optional(),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country in upper case such as DE')
        .optional(),
      signup_date: z.iso.date({ error: 'expected a date such as 2026-11-26' }).optional(),
    },
    { error: 'expected an object of traits such as {"age_band":"25-34"}' },
  )
  .describe('What the user told about themselves; all optional, other traits are kept as sent');

export type UserTraits = z.input<typeof userTraits>;

/** Required here: the event is the link from the anonymous visitor to the user. */
const linkedId = (field: string) =>
  z
    .string({ error: `expected ${field}, which user.identified requires: it links anonymous_id to user_id` })
    .min(1)
    .max(LIMITS.idLength);

/** Sign-in or sign-up (the SDK's identify): the visitor's anonymous id now belongs to the user. */
const identifyEvent = z.looseObject({
  ...envelope,
  event_type: z.literal('user.identified'),
  schema_version: schemaVersionFrom(2, 'user.identified'),
  user_id: linkedId('user_id'),
  anonymous_id: linkedId('anonymous_id'),
  properties: z.looseObject({ traits: userTraits.default({}) }).default({ traits: {} }),
});

const family = <T extends z.ZodEnum>(eventType: T, properties: z.ZodType) =>
  z.looseObject({ ...envelope, event_type: eventType, properties });

/**
 * One event as the SDK sends it. Families share the envelope and differ in properties;
 * every event names a user or an anonymous visitor so Kafka can key it.
 */
export const eventSchema = z
  .discriminatedUnion(
    'event_type',
    [
      family(z.enum(EVENT_TYPES.user).exclude(['user.identified']), userProperties.default({})),
      identifyEvent,
      family(z.enum(EVENT_TYPES.content), contentProperties),
      family(z.enum(EVENT_TYPES.ad), adProperties),
    ],
    { error: 'expected a known event_type such as content.post_created (see GET /v1/schema)' },
  )
  .refine((event) => event.user_id !== undefined || event.anonymous_id !== undefined, {
    message: 'expected user_id or anonymous_id',
    path: ['user_id'],
  });

export type PulseEvent = z.infer<typeof eventSchema>;
export type PulseEventInput = z.input<typeof eventSchema>;

/** A batch as posted to the collector; events are validated one by one, not as a whole. */
export const batchSchema = z.object({
  sent_at: isoTime.optional(),
  events: z.array(z.unknown()).min(1, 'expected at least one event'),
});
