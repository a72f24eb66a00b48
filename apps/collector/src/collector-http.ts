import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpAppOptions } from '@social-pulse/observability/nest';
import { createProxyTrust } from './client-address';
import { acceptCompressedBodies } from './compressed-body';
import { originsOf, type CollectorConfig } from './config';
import { installRequestGate } from './guards/request-gate';
import { countRejectedRequest, ingestMetrics } from './services/ingest.metrics';

/**
 * The collector's HTTP app: body limit, trusted proxies, CORS, the request gate (rate limits and
 * write keys before the body is read), compressed and sendBeacon bodies, request metrics.
 * One definition for main.ts and for the component tests, which build the same app in-process.
 */
export function collectorHttpOptions(config: CollectorConfig): HttpAppOptions {
  // A preflight carries no key, so it is answered for any origin some key allows; WriteKeyGuard
  // then refuses a post whose key does not allow its origin.
  const origins = new Set(config.COLLECTOR_WRITE_KEYS.flatMap((key) => originsOf(config, key)));
  return {
    service: 'collector',
    title: 'Social Pulse Collector',
    description: 'Receives events from the SDK and makes them durable in Kafka.',
    host: config.COLLECTOR_HOST,
    port: config.COLLECTOR_PORT,
    bodyLimitBytes: config.COLLECTOR_MAX_BODY_BYTES,
    // X-Forwarded-For is believed only from TRUSTED_PROXIES (none by default): request.ip is then the client's.
    trustProxy: config.TRUSTED_PROXIES.length > 0 ? trustedProxy(config) : false,
    keyHeader: { name: 'X-Write-Key', scheme: 'write-key' },
    configure: (app: NestFastifyApplication) => {
      app.enableCors({
        origin: origins.has('*') ? true : (origin, done) => done(null, !origin || origins.has(origin)),
        methods: ['POST', 'GET', 'OPTIONS'],
        allowedHeaders: ['content-type', 'content-encoding', 'x-write-key', 'authorization'],
        // The SDK's backoff honours Retry-After on 429 and 503; browsers hide it unless exposed.
        exposedHeaders: ['retry-after'],
        maxAge: 600,
      });
      const fastify = app.getHttpAdapter().getInstance();
      // Hooks run in the order added: metrics first, so refusals by the gate are counted too.
      fastify.addHook('onRequest', (_request, reply, done) => {
        ingestMetrics.inFlight.inc();
        // 'close' fires once whether the answer was sent or the client went away.
        reply.raw.once('close', () => {
          ingestMetrics.inFlight.dec();
          countRejectedRequest(reply.raw.statusCode);
        });
        done();
      });
      installRequestGate(fastify, app, config);
      acceptCompressedBodies(fastify);
      // sendBeacon posts text/plain (no CORS preflight); its body is the same JSON.
      fastify.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
        try {
          done(null, JSON.parse(body as string));
        } catch {
          done(Object.assign(new Error('body is not JSON'), { statusCode: 400 }), undefined);
        }
      });
    },
  };
}

/** Fastify's trustProxy: is the hop a trusted proxy (then the address before it is believed). */
function trustedProxy(config: CollectorConfig): (address: string, hop: number) => boolean {
  const trusted = createProxyTrust(config.TRUSTED_PROXIES);
  return (address) => trusted(address);
}
