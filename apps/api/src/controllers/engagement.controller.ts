import { Controller, Get, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { LiveEngagementAnswerDto } from '../dtos/engagement-live.dto';
import {
  ENGAGEMENT_GROUP_BYS,
  ENGAGEMENT_INTERVALS,
  EngagementSummaryAnswerDto,
  engagementSummaryQuerySchema,
} from '../dtos/engagement-summary.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { EngagementService } from '../services/engagement.service';
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
    description: 'ISO-8601 (with Z or an offset, or a date); default: the interval’s default span before to',
  })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601, exclusive; default now' })
  @ApiQuery({
    name: 'interval',
    enum: ENGAGEMENT_INTERVALS,
    required: false,
    description:
      'minute (default; range default 1 hour, at most 24 hours), hour (default 24 hours, at most 31 days), ' +
      'day (default 30 days, at most 1096 days). from and to are widened to whole periods.',
  })
  @ApiQuery({
    name: 'group_by',
    enum: ENGAGEMENT_GROUP_BYS,
    required: false,
    description: 'One series per value; with event_type the session metrics are null',
  })
  @ApiOkResponse({ type: EngagementSummaryAnswerDto })
  @ApiBadRequestResponse({
    description:
      'A malformed time, from not before to, a range too long for the interval, or an unknown interval or group_by.',
  })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown API key.' })
  summary(@Query() query: Record<string, string>): Promise<EngagementSummaryAnswerDto> {
    return this.engagement.summary(parseQuery(engagementSummaryQuerySchema, query));
  }

  /** Visitors and sessions in progress now, and the visitors of the last 5 minutes. */
  @Get('live')
  @ApiOkResponse({ type: LiveEngagementAnswerDto })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown API key.' })
  live(): Promise<LiveEngagementAnswerDto> {
    return this.engagement.live();
  }
}
