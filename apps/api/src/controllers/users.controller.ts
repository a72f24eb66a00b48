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
import { MAX_USER_SESSIONS_LIMIT, UserSessionsAnswerDto, userSessionsQuerySchema } from '../dtos/user-sessions.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { EngagementService } from '../services/engagement.service';
import { parseQuery } from './parse-query';

@ApiTags('engagement')
@ApiSecurity('api-key')
@Controller('v1/users')
@UseGuards(ApiKeyGuard)
@UseInterceptors(AnswerFreshnessInterceptor)
export class UsersController {
  constructor(private readonly engagement: EngagementService) {}

  /** A user's journey: the sessions that started in the range, newest first, with their metrics. */
  @Get(':user_id/sessions')
  @ApiParam({ name: 'user_id', description: 'The user id, or a: and the anonymous id of a visitor' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO-8601; default 7 days before to' })
  @ApiQuery({
    name: 'to',
    required: false,
    description: 'ISO-8601, exclusive; default now. At most 90 days after from',
  })
  @ApiQuery({
    name: 'limit',
    type: Number,
    required: false,
    description: `Sessions at most, 1 to ${MAX_USER_SESSIONS_LIMIT}, default 100`,
  })
  @ApiOkResponse({ type: UserSessionsAnswerDto })
  @ApiBadRequestResponse({
    description: 'A malformed time, from not before to, a range over 90 days or limit out of range.',
  })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown API key.' })
  sessions(@Param('user_id') userId: string, @Query() query: Record<string, string>): Promise<UserSessionsAnswerDto> {
    return this.engagement.userSessions(parseQuery(userSessionsQuerySchema, { ...query, user_id: userId }));
  }
}
