import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { RedisRepository } from '../repositories/redis.repository';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly redis: RedisRepository) {}

  /** Liveness: the process answers. */
  @Get('health')
  @ApiOkResponse({ description: 'The API process is alive.' })
  health() {
    return { status: 'ok', service: 'api' };
  }

  /** Readiness: the hot tier is reachable, so dashboard requests can be served. */
  @Get('ready')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Redis answers.' })
  @ApiServiceUnavailableResponse({ description: 'Redis does not answer.' })
  async ready() {
    const redis = await this.redis.ping();
    if (!redis) throw new ServiceUnavailableException({ status: 'unready', redis });
    return { status: 'ready', redis };
  }
}
