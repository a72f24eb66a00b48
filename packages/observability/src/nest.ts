import { Controller, Get, Header, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiExcludeController } from '@nestjs/swagger';
import { createLogger } from './logger';
import { metricsRegistry, startDefaultMetrics } from './metrics';

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
  /** Header that carries this service's key, shown as a security scheme in the OpenAPI document. */
  keyHeader?: { name: string; scheme: string };
  /** Runs after the app is created and before it listens: CORS, extra body parsers. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
}

/**
 * Creates a Nest app on Fastify with the platform's conventions: JSON logs, OpenAPI at /docs,
 * shutdown hooks so SIGTERM closes Kafka and Redis connections cleanly.
 */
export async function startHttpApp(module: Type<unknown>, options: HttpAppOptions): Promise<INestApplication> {
  const logger = createLogger(options.service);
  startDefaultMetrics(options.service);
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1_048_576 }),
    {
      logger: {
        log: (message: unknown) => logger.info(message),
        error: (message: unknown, trace?: string) => logger.error({ trace }, String(message)),
        warn: (message: unknown) => logger.warn(message),
        debug: (message: unknown) => logger.debug(message),
        verbose: (message: unknown) => logger.trace(message),
      },
    },
  );
  app.enableShutdownHooks();
  await options.configure?.(app);
  const builder = new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion('0.1.0');
  if (options.keyHeader) {
    builder.addApiKey({ type: 'apiKey', in: 'header', name: options.keyHeader.name }, options.keyHeader.scheme);
  }
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.listen(options.port, options.host);
  logger.info({ port: options.port, host: options.host }, `${options.service} listening`);
  return app;
}
