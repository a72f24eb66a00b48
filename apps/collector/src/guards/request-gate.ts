import { HttpException, PayloadTooLargeException, UnauthorizedException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sendProblem } from '@social-pulse/observability/nest';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CollectorConfig } from '../config';
import { IpRateLimitGuard, KeyRateLimitGuard } from './rate-limit.guard';
import { WriteKeyGuard, writeKeyInBody, writeKeyOutsideBody, type KeyedRequest } from './write-key.guard';

/** The routes that take events; everything else (health, metrics, docs, schema) is open. */
const GATED_ROUTES = new Set(['/v1/batch', '/v1/event']);

const isGated = (request: FastifyRequest) =>
  request.method === 'POST' && GATED_ROUTES.has(request.routeOptions.url ?? '');

/** A refusal as problem details, like every other error (Nest's filters do not see Fastify's hooks). */
function refuse(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof HttpException)) throw error;
  return sendProblem(request, reply, error);
}

/**
 * The cheap checks of an event post, run as Fastify hooks so that a refused request costs no body
 * work. Before the body is read (onRequest): the per-IP rate limit, Content-Length against the body
 * limit, and a write key given outside the body (header, Basic auth, query) with its origin and
 * per-key rate limit. A refused request's body is never read, parsed or decompressed.
 *
 * A key only in the body (sendBeacon-style, text/plain) is checked once the body is parsed, which
 * the body limit bounds; such a body must not be compressed (401 at once), so a bomb cannot make the
 * collector inflate anything before it knows the key.
 */
export function installRequestGate(fastify: FastifyInstance, app: NestFastifyApplication, config: CollectorConfig) {
  const ipLimit = app.get(IpRateLimitGuard);
  const keyLimit = app.get(KeyRateLimitGuard);
  const writeKeys = app.get(WriteKeyGuard);
  const maxBodyBytes = config.COLLECTOR_MAX_BODY_BYTES;

  fastify.addHook('onRequest', async (request: KeyedRequest, reply) => {
    if (!isGated(request)) return;
    try {
      ipLimit.check(request);
      const length = Number(request.headers['content-length']);
      if (length > maxBodyBytes) {
        throw new PayloadTooLargeException(`request body of ${length} bytes is over the limit of ${maxBodyBytes}`);
      }
      const key = writeKeyOutsideBody(request);
      if (key !== undefined) {
        writeKeys.authorize(request, key);
        keyLimit.check(request.writeKey!);
        return;
      }
      const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
      if (encoding !== 'identity') {
        throw new UnauthorizedException('missing write key: a compressed body needs X-Write-Key');
      }
    } catch (error) {
      return refuse(request, reply, error);
    }
  });

  // After parsing, before the controller: the key in the body, for requests that had none outside it.
  fastify.addHook('preHandler', async (request: KeyedRequest, reply) => {
    if (!isGated(request) || request.writeKey) return;
    try {
      writeKeys.authorize(request, writeKeyInBody(request.body));
      keyLimit.check(request.writeKey!);
    } catch (error) {
      return refuse(request, reply, error);
    }
  });
}
