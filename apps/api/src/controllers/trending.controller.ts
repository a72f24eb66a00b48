import { Controller, Get, Param, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { TRENDING_HORIZON_LABELS } from '@social-pulse/shared';
import { TOPIC_HISTORY_EXAMPLE, TRENDING_EXAMPLE } from '../dtos/answer-examples';
import {
  MAX_HISTORY_MINUTES,
  MAX_TRENDING_LIMIT,
  TopicHistoryAnswerDto,
  topicHistoryQuerySchema,
  TrendingAnswerDto,
  trendingQuerySchema,
} from '../dtos/trending.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { TrendingService } from '../services/trending.service';
import { AnswerRoute, EnumQuery } from './answer-route.decorator';
import { parseQuery as parse } from './parse-query';

@ApiTags('trending')
@ApiSecurity('api-key')
@Controller('v1/trending')
@UseGuards(ApiKeyGuard)
@UseInterceptors(AnswerFreshnessInterceptor)
export class TrendingController {
  constructor(private readonly trending: TrendingService) {}

  /** The hottest topics of the latest window, with the parts of each score and the answer's freshness. */
  @Get()
  @EnumQuery('window', TRENDING_HORIZON_LABELS, '1m', 'The horizon, default 1m')
  @ApiQuery({
    name: 'limit',
    type: Number,
    required: false,
    example: 20,
    description: `1 to ${MAX_TRENDING_LIMIT}, default 20`,
  })
  @AnswerRoute({
    path: '/v1/trending',
    type: TrendingAnswerDto,
    example: TRENDING_EXAMPLE,
    scope: 'read',
    badRequest: 'Unknown window or limit out of range.',
    badParameter: { parameter: 'limit', detail: `limit must be at most ${MAX_TRENDING_LIMIT}` },
  })
  get(@Query() query: Record<string, string>): Promise<TrendingAnswerDto> {
    return this.trending.get(parse(trendingQuerySchema, query));
  }

  /** A topic's score and mentions per minute in one horizon (minutes it was not listed are absent). */
  @Get(':topic/history')
  @ApiParam({ name: 'topic', description: 'The hashtag, with or without #, any case', example: 'heatpumps' })
  @EnumQuery('window', TRENDING_HORIZON_LABELS, '5m', 'The horizon, default 1m')
  @ApiQuery({
    name: 'minutes',
    type: Number,
    required: false,
    example: 60,
    description: `How far back, 1 to ${MAX_HISTORY_MINUTES}, default 60`,
  })
  @AnswerRoute({
    path: '/v1/trending/heatpumps/history',
    type: TopicHistoryAnswerDto,
    example: TOPIC_HISTORY_EXAMPLE,
    scope: 'read',
    badRequest: 'Unknown window, empty topic or minutes out of range.',
    badParameter: { parameter: 'minutes', detail: `minutes must be at most ${MAX_HISTORY_MINUTES}` },
  })
  history(@Param('topic') topic: string, @Query() query: Record<string, string>): Promise<TopicHistoryAnswerDto> {
    return this.trending.history(parse(topicHistoryQuerySchema, query, { topic }));
  }
}
