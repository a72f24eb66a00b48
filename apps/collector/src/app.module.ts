import { Module } from '@nestjs/common';
import { MetricsController } from '@social-pulse/observability/nest';
import { COLLECTOR_CONFIG, type CollectorConfig } from './config';
import { BatchController } from './controllers/batch.controller';
import { HealthController } from './controllers/health.controller';
import { KafkaRepository } from './repositories/kafka.repository';
import { IngestService } from './services/ingest.service';

export function createCollectorModule(config: CollectorConfig) {
  @Module({
    controllers: [BatchController, HealthController, MetricsController],
    providers: [{ provide: COLLECTOR_CONFIG, useValue: config }, KafkaRepository, IngestService],
  })
  class CollectorModule {}
  return CollectorModule;
}
