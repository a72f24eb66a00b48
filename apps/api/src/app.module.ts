import { Module } from '@nestjs/common';
import { MetricsController } from '@social-pulse/observability/nest';
import { API_CONFIG, type ApiConfig } from './config';
import { AdsController } from './controllers/ads.controller';
import { CanaryController } from './controllers/canary.controller';
import { EngagementController } from './controllers/engagement.controller';
import { HealthController } from './controllers/health.controller';
import { TrendingController } from './controllers/trending.controller';
import { UsersController } from './controllers/users.controller';
import { ApiKeyRateLimit } from './guards/api-key-rate-limit';
import { LIVE_DASHBOARD_CONTROLLERS, LIVE_DASHBOARD_PROVIDERS } from './live-dashboard';
import { ClickHouseRepository } from './repositories/clickhouse.repository';
import { RedisRepository } from './repositories/redis.repository';
import { AdsService } from './services/ads.service';
import { AnswerCache, DependencyGuards } from './services/answer-cache';
import { EngagementService } from './services/engagement.service';
import { TrendingService } from './services/trending.service';

export function createApiModule(config: ApiConfig) {
  @Module({
    controllers: [
      HealthController,
      MetricsController,
      TrendingController,
      EngagementController,
      UsersController,
      AdsController,
      CanaryController,
      ...LIVE_DASHBOARD_CONTROLLERS,
    ],
    providers: [
      { provide: API_CONFIG, useValue: config },
      ApiKeyRateLimit,
      RedisRepository,
      ClickHouseRepository,
      DependencyGuards,
      TrendingService,
      AnswerCache,
      EngagementService,
      AdsService,
      ...LIVE_DASHBOARD_PROVIDERS,
    ],
  })
  class ApiModule {}
  return ApiModule;
}
