import { Controller, Get, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { TRENDING_HORIZON_LABELS } from '@social-pulse/shared';
import { TRENDING_EXAMPLE } from '../dtos/answer-examples';
import { TrendingAnswerDto, trendingQuerySchema } from '../dtos/trending.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { TrendingService } from '../services/trending.service';
import { AnswerRoute, EnumQuery } from './answer-route.decorator';
import { parseQuery } from './parse-query';

/** The dashboard's example with the canary's topics: CANARY: and the hashtag, ranked after the top N. */
const CANARY_TRENDING_EXAMPLE: TrendingAnswerDto = {
  ...TRENDING_EXAMPLE,
  source: 'clickhouse',
  data: {
    ...TRENDING_EXAMPLE.data,
    topics: TRENDING_EXAMPLE.data.topics.slice(0, 1).map((topic) => ({
      ...topic,
      rank: 51,
      topic: 'CANARY:canary-mifp2x4k-7',
    })),
  },
};

/** Only the window: the canary reads its whole list. */
const canaryQuerySchema = trendingQuerySchema.pick({ window: true });

/**
 * The end of the canary's path (apps/worker, canary runner): what the dashboard's read path shows
 * of the canary's own events, which the dashboard's answers leave out. Admin keys only: operators'
 * data, not a dashboard's.
 */
@ApiTags('operations')
@ApiSecurity('api-key')
@Controller('v1/canary')
@UseGuards(ApiKeyGuard)
@UseInterceptors(AnswerFreshnessInterceptor)
export class CanaryController {
  constructor(private readonly trending: TrendingService) {}

  /** The canary's trending topics (CANARY: and its hashtag) in the latest window of the horizon that has any. */
  @Get('trending')
  @EnumQuery('window', TRENDING_HORIZON_LABELS, '1m', 'The horizon, default 1m')
  @AnswerRoute({
    path: '/v1/canary/trending',
    type: TrendingAnswerDto,
    example: CANARY_TRENDING_EXAMPLE,
    scope: 'admin',
    badRequest: 'Unknown window.',
    badParameter: { parameter: 'window', detail: 'window must be one of 1m, 5m, 15m' },
  })
  trendingCanaries(@Query() query: Record<string, string>): Promise<TrendingAnswerDto> {
    return this.trending.canary(parseQuery(canaryQuerySchema, query).window);
  }
}
