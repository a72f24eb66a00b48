import { Injectable } from '@nestjs/common';
import type { AnswerEnvelope } from '@social-pulse/shared';
import { adsCampaignsAnswer, adsPerformanceAnswer } from '../answers/dashboard-answers';
import { type AdsCampaignsDataDto, type AdsCampaignsQuery } from '../dtos/ads-campaigns.dto';
import { ADS_INTERVAL_RULES, type AdsPerformanceDataDto, type AdsPerformanceQuery } from '../dtos/ads-performance.dto';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { adsCampaignsKey, adsPerformanceKey } from '../repositories/redis.repository';
import { AnswerCache, cachePolicy } from './answer-cache';

/**
 * Ads answers from Redis, cached per request shape for as long as the grain's freshness allows, as
 * the engagement answers are: the dashboard's default shapes pre-computed, others on first request.
 */
@Injectable()
export class AdsService {
  constructor(
    private readonly cache: AnswerCache,
    private readonly clickhouse: ClickHouseRepository,
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
}
