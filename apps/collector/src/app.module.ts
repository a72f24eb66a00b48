import { Module } from '@nestjs/common';
import { MetricsController } from '@social-pulse/observability/nest';
import { COLLECTOR_CONFIG, type CollectorConfig } from './config';
import { BatchController } from './controllers/batch.controller';
import { HealthController } from './controllers/health.controller';
import { IpRateLimitGuard, KeyRateLimitGuard } from './guards/rate-limit.guard';
import { WriteKeyGuard } from './guards/write-key.guard';
import { KafkaRepository } from './repositories/kafka.repository';
import { IngestService } from './services/ingest.service';

export function createCollectorModule(config: CollectorConfig) {
  @Module({
    controllers: [BatchController, HealthController, MetricsController],
    providers: [
      { provide: COLLECTOR_CONFIG, useValue: config },
      KafkaRepository,
      IngestService,
      // Used by the request gate's Fastify hooks (guards/request-gate.ts), not as Nest guards.
      IpRateLimitGuard,
      WriteKeyGuard,
      KeyRateLimitGuard,
    ],
  })
  class CollectorModule {}
  return CollectorModule;
}
