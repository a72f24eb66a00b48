import { Module } from '@nestjs/common';
import { MetricsController } from '@social-pulse/observability/nest';
import { COLLECTOR_CONFIG, type CollectorConfig } from './config';
import { HealthController } from './controllers/health.controller';
import { KafkaRepository } from './repositories/kafka.repository';

export function createCollectorModule(config: CollectorConfig) {
  @Module({
    controllers: [HealthController, MetricsController],
    providers: [{ provide: COLLECTOR_CONFIG, useValue: config }, KafkaRepository],
  })
  class CollectorModule {}
  return CollectorModule;
}
