import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpAppOptions } from '@social-pulse/observability/nest';
import type { FastifyReply } from 'fastify';
import { ANSWER_SOURCE_HEADER } from './interceptors/answer-freshness.interceptor';
import type { ApiConfig } from './config';
import { MAX_USER_ID_LENGTH } from './dtos/user-sessions.dto';

/**
 * A request's outcome for its duration histogram: an answer from Redis (hot), computed from
 * ClickHouse (cold), served stale, or an error; other requests (health, docs) have none.
 */
export function answerOutcome(reply: FastifyReply): string {
  if (reply.statusCode >= 500) return 'error';
  const source = reply.getHeader(ANSWER_SOURCE_HEADER);
  if (source === undefined) return '';
  if (reply.getHeader('cache-control') === 'no-cache' && source === 'redis') return 'stale';
  return source === 'redis' ? 'hot' : 'cold';
}

/**
 * CORS for the dashboards' origins (API_CORS_ORIGINS): a browser page elsewhere may send the key
 * header and read the freshness headers. Keys travel in a header, never in cookies, so no
 * credentials are allowed and `*` stays safe: a page still needs a key to read anything.
 */
export function enableApiCors(app: NestFastifyApplication, config: Pick<ApiConfig, 'API_CORS_ORIGINS'>): void {
  const origins = config.API_CORS_ORIGINS;
  app.enableCors({
    origin: origins.includes('*') ? '*' : origins,
    methods: ['GET', 'HEAD', 'OPTIONS'],
    allowedHeaders: ['x-api-key', 'authorization', 'if-none-match'],
    // Cache-Control is exposed anyway (CORS-safelisted); Retry-After tells a dashboard when to poll again.
    exposedHeaders: ['age', 'etag', ANSWER_SOURCE_HEADER, 'retry-after'],
    maxAge: 600,
  });
}

/** The API's HTTP conventions, shared by main.ts and the component tests. */
export function apiHttpOptions(config: ApiConfig): HttpAppOptions {
  return {
    service: 'api',
    title: 'Social Pulse API',
    description:
      'Dashboard API: trending topics, engagement and ad performance. Every error is RFC 9457 problem details ' +
      '(application/problem+json). Each route needs a key of the scope its `x-required-scope` names.',
    host: config.API_HOST,
    port: config.API_PORT,
    keyHeader: {
      name: 'X-API-Key',
      scheme: 'api-key',
      description:
        'An API key (also accepted as `Authorization: Bearer <key>`). Scopes: `read` (API_KEYS) reads the ' +
        'dashboard aggregates; `admin` (API_ADMIN_KEYS) also reads per-user data. Each key is rate-limited.',
    },
    // Fastify refuses path parameters over 100 characters (decoded) with a bare 414; user ids reach
    // 130, and a longer one should get validation's 400 naming user_id.
    maxParamLength: 4 * MAX_USER_ID_LENGTH,
    requestOutcome: answerOutcome,
    configure: (app) => enableApiCors(app, config),
  };
}
