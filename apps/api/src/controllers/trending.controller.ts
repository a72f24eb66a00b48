import { Controller, Get, Param, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiParam,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { TRENDING_HORIZON_LABELS } from '@social-pulse/shared';
import {
  MAX_HISTORY_MINUTES,
  TopicHistoryAnswerDto,
  topicHistoryQuerySchema,
  TrendingAnswerDto,
  trendingQuerySchema,
} from '../dtos/trending.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { TrendingService } from '../services/trending.service';
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
  @ApiQuery({ name: 'window', enum: TRENDING_HORIZON_LABELS, required: false })
  @ApiQuery({ name: 'limit', type: Number, required: false, description: '1 to 100, default 20' })
  @ApiOkResponse({ type: TrendingAnswerDto })
  @ApiBadRequestResponse({ description: 'Unknown window or limit out of range.' })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown API key.' })
  get(@Query() query: Record<string, string>): Promise<TrendingAnswerDto> {
    return this.trending.get(parse(trendingQuerySchema, query));
  }

  /** A topic's score and mentions per minute in one horizon (minutes it was not listed are absent). */
  @Get(':topic/history')
  @ApiParam({ name: 'topic', description: 'The hashtag, with or without #, any case' })
  @ApiQuery({ name: 'window', enum: TRENDING_HORIZON_LABELS, required: false })
  @ApiQuery({
    name: 'minutes',
    type: Number,
    required: false,
    description: `How far back, 1 to ${MAX_HISTORY_MINUTES}, default 60`,
  })
  @ApiOkResponse({ type: TopicHistoryAnswerDto })
  @ApiBadRequestResponse({ description: 'Unknown window, empty topic or minutes out of range.' })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown API key.' })
  history(@Param('topic') topic: string, @Query() query: Record<string, string>): Promise<TopicHistoryAnswerDto> {
    return this.trending.history(parse(topicHistoryQuerySchema, { ...query, topic }));
  }
}
