import { Controller, Get, Param, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { USER_SESSIONS_EXAMPLE } from '../dtos/answer-examples';
import { MAX_USER_SESSIONS_LIMIT, UserSessionsAnswerDto, userSessionsQuerySchema } from '../dtos/user-sessions.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { EngagementService } from '../services/engagement.service';
import { AnswerRoute } from './answer-route.decorator';
import { parseQuery } from './parse-query';

@ApiTags('engagement')
@ApiSecurity('api-key')
@Controller('v1/users')
@UseGuards(ApiKeyGuard)
@UseInterceptors(AnswerFreshnessInterceptor)
export class UsersController {
  constructor(private readonly engagement: EngagementService) {}

  /** A user's journey: the sessions that started in the range, newest first, with their metrics (admin keys only: personal data). */
  @Get(':user_id/sessions')
  @ApiParam({
    name: 'user_id',
    description: 'The user id, or a: and the anonymous id of a visitor',
    example: 'u-1042',
  })
  @ApiQuery({
    name: 'from',
    required: false,
    example: '2026-11-19T12:00:00Z',
    description: 'ISO-8601; default 7 days before to',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    example: '2026-11-26T12:00:00Z',
    description: 'ISO-8601, exclusive; default now. At most 90 days after from',
  })
  @ApiQuery({
    name: 'limit',
    type: Number,
    required: false,
    example: 100,
    description: `Sessions at most, 1 to ${MAX_USER_SESSIONS_LIMIT}, default 100`,
  })
  @AnswerRoute({
    path: '/v1/users/u-1042/sessions',
    type: UserSessionsAnswerDto,
    example: USER_SESSIONS_EXAMPLE,
    scope: 'admin',
    badRequest: 'A malformed time, from not before to, a range over 90 days or limit out of range.',
    badParameter: { detail: 'from and to must be at most 90 days apart' },
  })
  sessions(@Param('user_id') userId: string, @Query() query: Record<string, string>): Promise<UserSessionsAnswerDto> {
    return this.engagement.userSessions(parseQuery(userSessionsQuerySchema, query, { user_id: userId }));
  }
}
