import { z } from 'zod';
import { EVENT_TYPES, SCHEMA_VERSION } from './event-types';

/** Limits that keep one event small; the collector's body limit bounds the batch. */
export const LIMITS = {
  idLength: 128,
  stringLength: 2048,
  hashtags: 30,
  hashtagLength: 100,
} as const;

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

const envelope = {
  event_id: z.uuid({ version: 'v7', error: 'expected a UUID v7 event_id' }),
  schema_version: z.literal(SCHEMA_VERSION, { error: `expected schema_version ${SCHEMA_VERSION}` }),
  user_id: id.optional(),
  anonymous_id: id.optional(),
  session_id: id.optional(),
  client_ts: isoTime,
  sent_at: isoTime.optional(),
  context: context.optional(),
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

const family = <T extends readonly [string, ...string[]]>(types: T, properties: z.ZodType) =>
  z.looseObject({ ...envelope, event_type: z.enum(types), properties });

/**
 * One event as the SDK sends it. Families share the envelope and differ in properties;
 * every event names a user or an anonymous visitor so Kafka can key it.
 */
export const eventSchema = z
  .discriminatedUnion(
    'event_type',
    [
      family(EVENT_TYPES.user, userProperties.default({})),
      family(EVENT_TYPES.content, contentProperties),
      family(EVENT_TYPES.ad, adProperties),
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
