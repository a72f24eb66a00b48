import { createHash } from 'node:crypto';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { AnswerEnvelope } from '@social-pulse/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';

/** Where the answer came from (redis, clickhouse), as its body's `source` says, for caches' logs and the metrics. */
export const ANSWER_SOURCE_HEADER = 'x-answer-source';

const isEnvelope = (value: unknown): value is AnswerEnvelope<unknown> =>
  typeof value === 'object' && value !== null && 'stale_after_ms' in value && 'source' in value;

/**
 * Every answer's freshness in HTTP terms too, so a browser or a CDN can use it:
 * - `Age`: seconds since the data's time;
 * - `Cache-Control`: reusable until the answer turns stale (`max-age` = stale_after - age), `no-cache`
 *   once it is; `Vary: X-API-Key`, so a shared cache (a CDN) serves it only to the same key;
 * - `ETag`: the answer's identity (the request and the snapshot's times, not its age, which grows),
 *   and `If-None-Match` with it answered 304 without a body.
 */
@Injectable()
export class AnswerFreshnessInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((answer: unknown) => {
        if (!isEnvelope(answer)) return answer;
        const etag = `W/"${createHash('sha1')
          .update(`${request.url}|${answer.data_time}|${answer.computed_at}|${answer.source}|${answer.stale}`)
          .digest('base64url')}"`;
        reply.header('ETag', etag);
        // Appended: CORS has already put Origin there.
        const vary = reply.getHeader('vary');
        reply.header('Vary', vary ? `${String(vary)}, X-API-Key` : 'X-API-Key');
        reply.header(ANSWER_SOURCE_HEADER, answer.source);
        if (answer.age_ms !== null) reply.header('Age', String(Math.floor(answer.age_ms / 1000)));
        const freshForMs = answer.age_ms === null ? 0 : answer.stale_after_ms - answer.age_ms;
        reply.header(
          'Cache-Control',
          answer.stale || freshForMs < 1000 ? 'no-cache' : `public, max-age=${Math.floor(freshForMs / 1000)}`,
        );
        if (request.headers['if-none-match'] === etag) {
          reply.status(304);
          return undefined;
        }
        return answer;
      }),
    );
  }
}
