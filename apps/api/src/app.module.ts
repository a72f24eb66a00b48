import { Module } from '@nestjs/common';
import { MetricsController } from '@social-pulse/observability/nest';
import { API_CONFIG, type ApiConfig } from './config';
import { HealthController } from './controllers/health.controller';
import { RedisRepository } from './repositories/redis.repository';

export function createApiModule(config: ApiConfig) {
  @Module({
    controllers: [HealthController, MetricsController],
    providers: [{ provide: API_CONFIG, useValue: config }, RedisRepository],
  })
  class ApiModule {}
  return ApiModule;
}
