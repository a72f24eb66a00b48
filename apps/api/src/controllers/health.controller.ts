import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { RedisRepository } from '../repositories/redis.repository';
import { DependencyGuards } from '../services/answer-cache';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    private readonly redis: RedisRepository,
    private readonly clickhouse: ClickHouseRepository,
    private readonly guards: DependencyGuards,
  ) {}

  /** Liveness: the process answers. */
  @Get('health')
  @ApiOkResponse({ description: 'The API process is alive.' })
  health() {
    return { status: 'ok', service: 'api' };
  }

  /**
   * Readiness, with each dependency's state (each asked within its timeout). One is enough to
   * answer: Redis alone serves cached answers (stale once old), ClickHouse alone computes them
   * (status `degraded`); with neither, 503.
   */
  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Redis and ClickHouse answer (ready), or one of them does (degraded).' })
  @ApiServiceUnavailableResponse({ description: 'Neither Redis nor ClickHouse answers.' })
  async ready() {
    const answers = (ping: () => Promise<boolean>) => (guard: { call: <T>(w: () => Promise<T>) => Promise<T> }) =>
      guard.call(ping).catch(() => false);
    const [redis, clickhouse] = await Promise.all([
      answers(() => this.redis.ping())(this.guards.redis),
      answers(() => this.clickhouse.ping())(this.guards.clickhouse),
    ]);
    if (!redis && !clickhouse) {
      throw new ServiceUnavailableException({
        message: 'unready: neither Redis nor ClickHouse answers',
        redis,
        clickhouse,
      });
    }
    return { status: redis && clickhouse ? 'ready' : 'degraded', redis, clickhouse };
  }
}
