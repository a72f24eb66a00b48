import { Injectable } from '@nestjs/common';
import type { AnswerEnvelope } from '@social-pulse/shared';
import { LIVE_CACHE_TTL_SECONDS, mapLiveEngagement, type LiveEngagementDataDto } from '../dtos/engagement-live.dto';
import {
  ENGAGEMENT_INTERVAL_RULES,
  mapEngagementSummary,
  type EngagementSummaryDataDto,
  type EngagementSummaryQuery,
} from '../dtos/engagement-summary.dto';
import {
  mapUserSessions,
  USER_SESSIONS_CACHE_TTL_SECONDS,
  type UserSessionsDataDto,
  type UserSessionsQuery,
} from '../dtos/user-sessions.dto';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { engagementSummaryKey, liveEngagementKey, userSessionsKey } from '../repositories/redis.repository';
import { AnswerCache, cachePolicy } from './answer-cache';

/**
 * Engagement answers, computed on request from the rollups and `sessions` and cached per request
 * shape for as long as the endpoint's freshness allows (no background refresh: the keys are many).
 * data_time and computed_at are the time ClickHouse was read, taken before the query.
 */
@Injectable()
export class EngagementService {
  constructor(
    private readonly cache: AnswerCache,
    private readonly clickhouse: ClickHouseRepository,
  ) {}

  summary(query: EngagementSummaryQuery): Promise<AnswerEnvelope<EngagementSummaryDataDto>> {
    const policy = cachePolicy(ENGAGEMENT_INTERVAL_RULES[query.interval].cacheTtlSeconds);
    return this.cache.answer(engagementSummaryKey(query), policy, async () => {
      const readAt = new Date();
      // Session metrics are per session, never per event type: that breakdown has none.
      const [engagement, sessions] = await Promise.all([
        this.clickhouse.engagementSummary(query),
        query.group_by === 'event_type' ? [] : this.clickhouse.sessionSummary(query, readAt),
      ]);
      return mapEngagementSummary(query, engagement, sessions, readAt);
    });
  }

  live(): Promise<AnswerEnvelope<LiveEngagementDataDto>> {
    return this.cache.answer(liveEngagementKey(), cachePolicy(LIVE_CACHE_TTL_SECONDS), async () => {
      const readAt = new Date();
      return mapLiveEngagement(await this.clickhouse.liveEngagement(readAt), readAt);
    });
  }

  userSessions(query: UserSessionsQuery): Promise<AnswerEnvelope<UserSessionsDataDto>> {
    const policy = cachePolicy(USER_SESSIONS_CACHE_TTL_SECONDS);
    return this.cache.answer(userSessionsKey(query), policy, async () => {
      const readAt = new Date();
      return mapUserSessions(query, await this.clickhouse.userSessions(query), readAt);
    });
  }
}
