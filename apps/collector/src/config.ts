import { env, loadConfig } from '@social-pulse/config';
import { DEV_CANARY_WRITE_KEY } from '@social-pulse/events';
import { DEFAULT_PORTS } from '@social-pulse/shared';
import { z } from 'zod';
import { createProxyTrust } from './client-address';

/** A write key and the browser origins that may post with it (undefined: COLLECTOR_CORS_ORIGINS). */
export interface WriteKey {
  key: string;
  origins?: string[];
}

/** The public write key that works on one machine out of the box; production refuses it. */
export const DEV_WRITE_KEY = 'pulse-dev-write-key';

/**
 * `key1,key2` (origins from COLLECTOR_CORS_ORIGINS) or `key1:https://a.example|https://b.example,key2:*`.
 * The first colon followed by `*` or `http(s)://` separates a key from its origins (origins hold colons themselves).
 */
const writeKeys = z
  .string()
  .default(DEV_WRITE_KEY)
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item): WriteKey => {
        const colon = item.indexOf(':');
        // A colon starts the origins only when origins follow, so a key may itself hold a colon.
        if (colon < 0 || !/^\s*(\*|https?:\/\/)/.test(item.slice(colon + 1))) return { key: item };
        const origins = item
          .slice(colon + 1)
          .split('|')
          .map((o) => o.trim())
          .filter(Boolean);
        return { key: item.slice(0, colon).trim(), origins };
      }),
  )
  .pipe(
    z
      .array(
        z.object({
          key: z.string().min(8, 'expected write keys of at least 8 characters'),
          origins: z
            .array(z.string().regex(/^(\*|https?:\/\/[^\s/|,]+)$/, 'expected origins such as https://a.example or *'))
            .min(1, 'expected origins after the colon')
            .optional(),
        }),
      )
      .min(1, 'expected at least one write key'),
  );

const splitOrigins = (origins: string) =>
  origins
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);

/** Production refuses keys that would accept any origin: `key:*`. */
const noWildcardKey = (keys: WriteKey[]) =>
  keys.some((key) => key.origins?.includes('*'))
    ? 'a key:* lets any website post with that key, refused with NODE_ENV=production: ' +
      'name the sites allowed for each key, e.g. key:https://www.example.com|https://app.example.com'
    : undefined;

/** Production refuses `*` in COLLECTOR_CORS_ORIGINS when a key takes its origins from there. */
const noWildcardDefault = (origins: string, config: Readonly<Record<string, unknown>>) => {
  const keys = config.COLLECTOR_WRITE_KEYS as WriteKey[] | undefined;
  const used = !keys || keys.some((key) => !key.origins);
  return used && splitOrigins(origins).includes('*')
    ? '* lets any website post with the keys that name no origins, refused with NODE_ENV=production: ' +
        'set COLLECTOR_CORS_ORIGINS to the sites allowed, e.g. https://www.example.com,https://app.example.com, ' +
        'or give each key its own in COLLECTOR_WRITE_KEYS'
    : undefined;
};

/** Every environment variable the collector reads, with its one-machine default; parsed once at start. */
export const collectorConfigShape = {
  /** production refuses the one-machine defaults below that would be unsafe on a network (the Dockerfile sets it). */
  NODE_ENV: env.nodeEnv(),
  COLLECTOR_HOST: env.text('127.0.0.1'),
  COLLECTOR_PORT: env.port(DEFAULT_PORTS.collector),
  KAFKA_BROKERS: env.hostPortList(`127.0.0.1:${DEFAULT_PORTS.kafka}`),
  /** Keys that may write events, each optionally with its own allowed origins; the default one is for one machine only. */
  COLLECTOR_WRITE_KEYS: env.production(env.secret(writeKeys), { devValues: [DEV_WRITE_KEY], check: noWildcardKey }),
  /** The canary's write key (apps/worker's canary runner): only events sent with it are marked as the canary's. */
  COLLECTOR_CANARY_WRITE_KEY: env.production(
    env.secret(z.string().min(8, 'expected a write key of at least 8 characters').default(DEV_CANARY_WRITE_KEY)),
    { devValues: [DEV_CANARY_WRITE_KEY] },
  ),
  /** Origins allowed to post from browsers with keys that name none: `*` (not in production) or a comma-separated list. */
  COLLECTOR_CORS_ORIGINS: env.production(env.text('*'), { check: noWildcardDefault }),
  /** Prepended to every topic name (events and dead letters); empty in normal operation. */
  COLLECTOR_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'expected letters, digits, dots, dashes or underscores')
    .default(''),
  /** Request headers set by the edge that carry the client's country, first match wins; believed only from TRUSTED_PROXIES. */
  COLLECTOR_COUNTRY_HEADERS: env.commaList('cf-ipcountry,x-country'),
  /**
   * Peers (addresses or CIDRs, comma-separated) whose X-Forwarded-For and country headers are
   * believed: the load balancer in front of the collector. None by default, so the client IP is the
   * peer's and client-sent country headers are ignored; loopback is trusted only when listed.
   */
  TRUSTED_PROXIES: env.commaList('').refine(
    (entries) => {
      try {
        createProxyTrust(entries);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'expected addresses or CIDRs such as 10.0.0.0/8 or ::1' },
  ),

  // Limits: a violation is a 4xx (or a rejected event in a 202), never a 5xx.
  COLLECTOR_MAX_BODY_BYTES: env.positiveInt(1_048_576),
  COLLECTOR_MAX_BATCH_EVENTS: env.positiveInt(500),
  COLLECTOR_MAX_EVENT_BYTES: env.positiveInt(32_768),
  /** Nesting depth allowed inside properties and context. */
  COLLECTOR_MAX_DEPTH: env.positiveInt(10),
  /** Longest string value anywhere in an event, in characters. */
  COLLECTOR_MAX_STRING_LENGTH: env.positiveInt(8192),

  // Rate limits: token buckets in each process, refilled per second, bursting to twice the rate.
  COLLECTOR_KEY_RATE_LIMIT: env.positiveInt(5000),
  COLLECTOR_IP_RATE_LIMIT: env.positiveInt(1000),
  /**
   * Events that may wait for Kafka's acknowledgement at once; while Kafka is slow, a batch beyond
   * this is answered 503 with Retry-After at once instead of queueing without bound.
   */
  COLLECTOR_MAX_PENDING_EVENTS: env.positiveInt(20_000),
  LOG_LEVEL: env.logLevel(),
};

export const loadCollectorConfig = (source: NodeJS.ProcessEnv = process.env) =>
  loadConfig(collectorConfigShape, source);

export type CollectorConfig = ReturnType<typeof loadCollectorConfig>;
export const COLLECTOR_CONFIG = Symbol('COLLECTOR_CONFIG');

/** Origins a key may post from: its own list, else the global one. */
export function originsOf(config: Pick<CollectorConfig, 'COLLECTOR_CORS_ORIGINS'>, key: WriteKey): string[] {
  return key.origins ?? splitOrigins(config.COLLECTOR_CORS_ORIGINS);
}
