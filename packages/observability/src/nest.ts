import { Controller, Get, Header, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Histogram } from 'prom-client';
import { createLogger } from './logger';
import { metricsRegistry, startDefaultMetrics } from './metrics';
import {
  ProblemDetailsDto,
  ProblemDetailsFilter,
  RateLimitedProblemDto,
  ValidationProblemDto,
} from './problem-details';

export * from './problem-details';

/** Request durations of every HTTP service, per route (its pattern, so the labels stay few) and outcome. */
const requestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time to answer a request, per route pattern, method, status and outcome (a service may name its own)',
  labelNames: ['route', 'method', 'status', 'outcome'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/** GET /metrics in Prometheus text format, shared by every HTTP service. */
@ApiExcludeController()
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', metricsRegistry.contentType)
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}

export interface HttpAppOptions {
  service: string;
  title: string;
  description: string;
  host: string;
  port: number;
  bodyLimitBytes?: number;
  /** Longest path parameter in the URL (Fastify's maxParamLength, default 100); longer ones get 414. */
  maxParamLength?: number;
  /** Fastify's trustProxy: which peers' X-Forwarded-For is believed (default: none). */
  trustProxy?: boolean | string | string[] | number | ((address: string, hop: number) => boolean);
  /** Header that carries this service's key, shown as a security scheme in the OpenAPI document. */
  keyHeader?: { name: string; scheme: string; description?: string };
  /** Runs after the app is created and before it listens: CORS, extra body parsers. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
  /** The outcome label of a request's duration (e.g. hot, cold, stale); '' when the service has none. */
  requestOutcome?: (reply: FastifyReply) => string;
}

/** The Fastify adapter every service uses, with its request body limit (and trusted proxies, if any). */
export const createFastifyAdapter = (
  options: Pick<HttpAppOptions, 'bodyLimitBytes' | 'trustProxy' | 'maxParamLength'>,
) =>
  new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? 1_048_576,
    ...(options.maxParamLength !== undefined && { routerOptions: { maxParamLength: options.maxParamLength } }),
    ...(options.trustProxy !== undefined && { trustProxy: options.trustProxy }),
  });

/** Nest's logger routed to the service's JSON logger. */
export function nestLogger(service: string) {
  const logger = createLogger(service);
  return {
    log: (message: unknown) => logger.info(message),
    error: (message: unknown, trace?: string) => logger.error({ trace }, String(message)),
    warn: (message: unknown) => logger.warn(message),
    debug: (message: unknown) => logger.debug(message),
    verbose: (message: unknown) => logger.trace(message),
  };
}

/**
 * Applies the platform's conventions to a created app: shutdown hooks so SIGTERM closes Kafka and
 * Redis connections cleanly, every error answered as RFC 9457 problem details, the service's own
 * `configure`, OpenAPI at /docs. Component tests call it on an app made from a testing module, so
 * they exercise the same HTTP behaviour as `main.ts`.
 */
export async function configureHttpApp(app: NestFastifyApplication, options: HttpAppOptions): Promise<void> {
  app.enableShutdownHooks();
  app.useGlobalFilters(new ProblemDetailsFilter(createLogger(options.service)));
  const outcome = options.requestOutcome ?? (() => '');
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', async (request, reply) => {
      requestDuration.observe(
        {
          route: request.routeOptions.url ?? 'unmatched',
          method: request.method,
          status: String(reply.statusCode),
          outcome: outcome(reply),
        },
        reply.elapsedTime / 1000,
      );
    });
  await options.configure?.(app);
  SwaggerModule.setup('docs', app, createOpenApiDocument(app, options), { jsonDocumentUrl: 'docs/openapi.json' });
}

/** The service's OpenAPI document, as /docs/openapi.json serves it (the API's typed client is generated from it). */
export function createOpenApiDocument(app: INestApplication, options: HttpAppOptions): OpenAPIObject {
  const builder = new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('0.1.0');
  if (options.keyHeader) {
    const { name, scheme, description } = options.keyHeader;
    builder.addApiKey({ type: 'apiKey', in: 'header', name, ...(description && { description }) }, scheme);
  }
  return SwaggerModule.createDocument(app, builder.build(), {
    // Every service's errors are problems: their schemas are listed for all, named by getSchemaPath where used.
    extraModels: [ProblemDetailsDto, ValidationProblemDto, RateLimitedProblemDto],
  });
}

/** Creates a Nest app on Fastify with the platform's conventions and JSON logs, and listens. */
export async function startHttpApp(module: Type<unknown>, options: HttpAppOptions): Promise<INestApplication> {
  startDefaultMetrics(options.service);
  const app = await NestFactory.create<NestFastifyApplication>(module, createFastifyAdapter(options), {
    logger: nestLogger(options.service),
  });
  await configureHttpApp(app, options);
  await app.listen(options.port, options.host);
  createLogger(options.service).info({ port: options.port, host: options.host }, `${options.service} listening`);
  return app;
}
