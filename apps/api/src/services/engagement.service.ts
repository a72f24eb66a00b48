import { Injectable } from '@nestjs/common';
import type { AnswerEnvelope } from '@social-pulse/shared';
import { engagementSummaryAnswer, liveEngagementAnswer, userSessionsAnswer } from '../answers/dashboard-answers';
import { LIVE_CACHE_TTL_SECONDS, type LiveEngagementDataDto } from '../dtos/engagement-live.dto';
import {
  ENGAGEMENT_INTERVAL_RULES,
  type EngagementSummaryDataDto,
  type EngagementSummaryQuery,
} from '../dtos/engagement-summary.dto';
import {
  USER_SESSIONS_CACHE_TTL_SECONDS,
  type UserSessionsDataDto,
  type UserSessionsQuery,
} from '../dtos/user-sessions.dto';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { engagementSummaryKey, liveEngagementKey, userSessionsKey } from '../repositories/redis.repository';
import { AnswerCache, cachePolicy } from './answer-cache';

/**
 * Engagement answers from Redis, cached per request shape for as long as the endpoint's freshness
 * allows. The dashboard's default shapes are pre-computed by the refresh workflows
 * (precomputed-answers.ts); any other shape is computed on its first request.
 */
@Injectable()
export class EngagementService {
  constructor(
    private readonly cache: AnswerCache,
    private readonly clickhouse: ClickHouseRepository,
  ) {}

  summary(query: EngagementSummaryQuery): Promise<AnswerEnvelope<EngagementSummaryDataDto>> {
    const policy = cachePolicy(ENGAGEMENT_INTERVAL_RULES[query.interval].cacheTtlSeconds);
    return this.cache.answer(engagementSummaryKey(query), policy, () =>
      engagementSummaryAnswer(this.clickhouse, query),
    );
  }

  live(): Promise<AnswerEnvelope<LiveEngagementDataDto>> {
    return this.cache.answer(liveEngagementKey(), cachePolicy(LIVE_CACHE_TTL_SECONDS), () =>
      liveEngagementAnswer(this.clickhouse),
    );
  }

  userSessions(query: UserSessionsQuery): Promise<AnswerEnvelope<UserSessionsDataDto>> {
    const policy = cachePolicy(USER_SESSIONS_CACHE_TTL_SECONDS);
    return this.cache.answer(userSessionsKey(query), policy, () => userSessionsAnswer(this.clickhouse, query));
  }
}
