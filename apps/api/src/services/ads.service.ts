import { Injectable } from '@nestjs/common';
import type { AnswerEnvelope } from '@social-pulse/shared';
import { mapAdsCampaigns, type AdsCampaignsDataDto, type AdsCampaignsQuery } from '../dtos/ads-campaigns.dto';
import {
  ADS_INTERVAL_RULES,
  mapAdsPerformance,
  type AdsPerformanceDataDto,
  type AdsPerformanceQuery,
} from '../dtos/ads-performance.dto';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { adsCampaignsKey, adsPerformanceKey } from '../repositories/redis.repository';
import { AnswerCache, cachePolicy } from './answer-cache';

/**
 * Ads answers, computed on request from the ad performance facts and cached per request shape for as
 * long as the grain's freshness allows, as the engagement answers are. data_time and computed_at are
 * the time ClickHouse was read, taken before the query.
 */
@Injectable()
export class AdsService {
  constructor(
    private readonly cache: AnswerCache,
    private readonly clickhouse: ClickHouseRepository,
  ) {}

  performance(query: AdsPerformanceQuery): Promise<AnswerEnvelope<AdsPerformanceDataDto>> {
    const policy = cachePolicy(ADS_INTERVAL_RULES[query.interval].cacheTtlSeconds);
    return this.cache.answer(adsPerformanceKey(query), policy, async () => {
      const readAt = new Date();
      return mapAdsPerformance(query, await this.clickhouse.adsPerformance(query), readAt);
    });
  }

  /** Cached as long as a series of the grain it reads. */
  campaigns(query: AdsCampaignsQuery): Promise<AnswerEnvelope<AdsCampaignsDataDto>> {
    const policy = cachePolicy(ADS_INTERVAL_RULES[query.grain].cacheTtlSeconds);
    return this.cache.answer(adsCampaignsKey(query), policy, async () => {
      const readAt = new Date();
      return mapAdsCampaigns(query, await this.clickhouse.adsCampaigns(query), readAt);
    });
  }
}
