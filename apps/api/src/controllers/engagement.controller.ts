import { Controller, Get, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ENGAGEMENT_SUMMARY_EXAMPLE, LIVE_ENGAGEMENT_EXAMPLE } from '../dtos/answer-examples';
import { LiveEngagementAnswerDto, liveEngagementQuerySchema } from '../dtos/engagement-live.dto';
import {
  ENGAGEMENT_GROUP_BYS,
  ENGAGEMENT_INTERVALS,
  EngagementSummaryAnswerDto,
  engagementSummaryQuerySchema,
} from '../dtos/engagement-summary.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { EngagementService } from '../services/engagement.service';
import { AnswerRoute, EnumQuery } from './answer-route.decorator';
import { parseQuery } from './parse-query';

@ApiTags('engagement')
@ApiSecurity('api-key')
@Controller('v1/engagement')
@UseGuards(ApiKeyGuard)
@UseInterceptors(AnswerFreshnessInterceptor)
export class EngagementController {
  constructor(private readonly engagement: EngagementService) {}

  /** Visitors, sessions, events and session metrics per period, optionally per device, OS, country or event type. */
  @Get('summary')
  @ApiQuery({
    name: 'from',
    required: false,
    example: '2026-11-25T12:00:00Z',
    description: 'ISO-8601 (with Z or an offset, or a date); default: the interval’s default span before to',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    example: '2026-11-26T12:00:00Z',
    description: 'ISO-8601, exclusive; default now',
  })
  @EnumQuery(
    'interval',
    ENGAGEMENT_INTERVALS,
    'hour',
    'minute (default; range default 1 hour, at most 24 hours), hour (default 24 hours, at most 31 days), ' +
      'day (default 30 days, at most 1096 days). from and to are widened to whole periods.',
  )
  @EnumQuery(
    'group_by',
    ENGAGEMENT_GROUP_BYS,
    'device',
    'One series per value; with event_type the session metrics are null',
  )
  @AnswerRoute({
    path: '/v1/engagement/summary',
    type: EngagementSummaryAnswerDto,
    example: ENGAGEMENT_SUMMARY_EXAMPLE,
    scope: 'read',
    badRequest:
      'A malformed time, from not before to, a range too long for the interval, or an unknown interval or group_by.',
    badParameter: { parameter: 'group_by', detail: 'group_by must be one of device, os, country, event_type' },
  })
  summary(@Query() query: Record<string, string>): Promise<EngagementSummaryAnswerDto> {
    return this.engagement.summary(parseQuery(engagementSummaryQuerySchema, query));
  }

  /** Visitors and sessions in progress now, and the visitors of the last 5 minutes. */
  @Get('live')
  @AnswerRoute({
    path: '/v1/engagement/live',
    type: LiveEngagementAnswerDto,
    example: LIVE_ENGAGEMENT_EXAMPLE,
    scope: 'read',
    badRequest: 'The route reads no parameters: any is unknown.',
    badParameter: { parameter: 'window', detail: 'unknown query parameter window; this route reads none' },
  })
  live(@Query() query: Record<string, string>): Promise<LiveEngagementAnswerDto> {
    parseQuery(liveEngagementQuerySchema, query);
    return this.engagement.live();
  }
}
