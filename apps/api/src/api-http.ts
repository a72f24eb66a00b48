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

/** The API's HTTP conventions, shared by main.ts and the component tests. */
export function apiHttpOptions(config: ApiConfig): HttpAppOptions {
  return {
    service: 'api',
    title: 'Social Pulse API',
    description: 'Dashboard API: trending topics, engagement and ad performance.',
    host: config.API_HOST,
    port: config.API_PORT,
    keyHeader: { name: 'X-API-Key', scheme: 'api-key' },
    // Fastify refuses path parameters over 100 characters (decoded) with a bare 414; user ids reach
    // 130, and a longer one should get validation's 400 naming user_id.
    maxParamLength: 4 * MAX_USER_ID_LENGTH,
    requestOutcome: answerOutcome,
  };
}
