import { Injectable } from '@nestjs/common';
import { answerEnvelope, type AnswerEnvelope } from '@social-pulse/shared';
import {
  canarySessionsAnswer,
  engagementSummaryAnswer,
  liveEngagementAnswer,
  userSessionsAnswer,
} from '../answers/dashboard-answers';
import { CANARY_STALE_AFTER_MS, type CanarySessionsDataDto } from '../dtos/canary.dto';
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
import { AnswerCache, cachePolicy, DependencyGuards } from './answer-cache';

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
    private readonly guards: DependencyGuards,
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

  /**
   * The canary's sessions, straight from ClickHouse through the guard the dashboard's answers use.
   * Not through Redis: a cached answer would time the cache, and the canary's sessions are in no
   * dashboard answer.
   */
  async canarySessions(): Promise<AnswerEnvelope<CanarySessionsDataDto>> {
    const snapshot = await this.guards.clickhouse.call(() => canarySessionsAnswer(this.clickhouse));
    return answerEnvelope(snapshot, { source: 'clickhouse', staleAfterMs: CANARY_STALE_AFTER_MS });
  }

  userSessions(query: UserSessionsQuery): Promise<AnswerEnvelope<UserSessionsDataDto>> {
    const policy = cachePolicy(USER_SESSIONS_CACHE_TTL_SECONDS);
    return this.cache.answer(userSessionsKey(query), policy, () => userSessionsAnswer(this.clickhouse, query));
  }
}
