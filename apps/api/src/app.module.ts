import { Module } from '@nestjs/common';
import { MetricsController } from '@social-pulse/observability/nest';
import { API_CONFIG, type ApiConfig } from './config';
import { HealthController } from './controllers/health.controller';
import { TrendingController } from './controllers/trending.controller';
import { ClickHouseRepository } from './repositories/clickhouse.repository';
import { RedisRepository } from './repositories/redis.repository';
import { TrendingService } from './services/trending.service';

export function createApiModule(config: ApiConfig) {
  @Module({
    controllers: [HealthController, MetricsController, TrendingController],
    providers: [{ provide: API_CONFIG, useValue: config }, RedisRepository, ClickHouseRepository, TrendingService],
  })
  class ApiModule {}
  return ApiModule;
}
