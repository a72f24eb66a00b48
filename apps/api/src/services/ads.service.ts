import { Injectable } from '@nestjs/common';
import { answerEnvelope, type AnswerEnvelope } from '@social-pulse/shared';
import { adsCampaignsAnswer, adsPerformanceAnswer, canaryAdsAnswer } from '../answers/dashboard-answers';
import { type AdsCampaignsDataDto, type AdsCampaignsQuery } from '../dtos/ads-campaigns.dto';
import { CANARY_STALE_AFTER_MS, type CanaryAdsDataDto } from '../dtos/canary.dto';
import { ADS_INTERVAL_RULES, type AdsPerformanceDataDto, type AdsPerformanceQuery } from '../dtos/ads-performance.dto';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { adsCampaignsKey, adsPerformanceKey } from '../repositories/redis.repository';
import { AnswerCache, cachePolicy, DependencyGuards } from './answer-cache';

/**
 * Ads answers from Redis, cached per request shape for as long as the grain's freshness allows, as
 * the engagement answers are: the dashboard's default shapes pre-computed, others on first request.
 */
@Injectable()
export class AdsService {
  constructor(
    private readonly cache: AnswerCache,
    private readonly clickhouse: ClickHouseRepository,
    private readonly guards: DependencyGuards,
  ) {}

  performance(query: AdsPerformanceQuery): Promise<AnswerEnvelope<AdsPerformanceDataDto>> {
    const policy = cachePolicy(ADS_INTERVAL_RULES[query.interval].cacheTtlSeconds);
    return this.cache.answer(adsPerformanceKey(query), policy, () => adsPerformanceAnswer(this.clickhouse, query));
  }

  /** Cached as long as a series of the grain it reads. */
  campaigns(query: AdsCampaignsQuery): Promise<AnswerEnvelope<AdsCampaignsDataDto>> {
    const policy = cachePolicy(ADS_INTERVAL_RULES[query.grain].cacheTtlSeconds);
    return this.cache.answer(adsCampaignsKey(query), policy, () => adsCampaignsAnswer(this.clickhouse, query));
  }

  /**
   * The canary campaigns' ads, straight from ClickHouse through the guard the dashboard's answers
   * use. Not through Redis: a cached answer would time the cache, and the canary's campaigns are in
   * no dashboard answer.
   */
  async canary(): Promise<AnswerEnvelope<CanaryAdsDataDto>> {
    const snapshot = await this.guards.clickhouse.call(() => canaryAdsAnswer(this.clickhouse));
    return answerEnvelope(snapshot, { source: 'clickhouse', staleAfterMs: CANARY_STALE_AFTER_MS });
  }
}
