import { Controller, Get, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdsCampaignsAnswerDto, adsCampaignsQuerySchema, MAX_CAMPAIGNS_LIMIT } from '../dtos/ads-campaigns.dto';
import { MAX_AD_ID_LENGTH } from '../dtos/ads-measures';
import { ADS_CAMPAIGNS_EXAMPLE, ADS_PERFORMANCE_EXAMPLE } from '../dtos/answer-examples';
import {
  ADS_GROUP_BYS,
  ADS_INTERVALS,
  AdsPerformanceAnswerDto,
  adsPerformanceQuerySchema,
} from '../dtos/ads-performance.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { AdsService } from '../services/ads.service';
import { AnswerRoute, EnumQuery } from './answer-route.decorator';
import { parseQuery } from './parse-query';

@ApiTags('ads')
@ApiSecurity('api-key')
@Controller('v1/ads')
@UseGuards(ApiKeyGuard)
@UseInterceptors(AnswerFreshnessInterceptor)
export class AdsController {
  constructor(private readonly ads: AdsService) {}

  /** Impressions, reach, clicks, conversions and money per period, optionally per segment and for one campaign or ad. */
  @Get('performance')
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
    ADS_INTERVALS,
    'hour',
    'minute (default; range default 1 hour, at most 24 hours; minutes are kept 35 days), hour (default 24 hours, ' +
      'at most 31 days; kept 400 days), day (default 30 days, at most 1827 days; kept 5 years). from and to are ' +
      'widened to whole periods.',
  )
  @ApiQuery({
    name: 'group_by',
    required: false,
    example: 'device,country',
    description:
      `Comma-separated, zero or more of ${ADS_GROUP_BYS.join(', ')}, each at most once: one series per ` +
      'combination. Money is always per currency (in each point’s money list); with currency here the counts are too.',
  })
  @ApiQuery({
    name: 'campaign_id',
    required: false,
    example: 'spring-sale',
    description: `Only this campaign (1 to ${MAX_AD_ID_LENGTH} characters)`,
  })
  @ApiQuery({
    name: 'ad_id',
    required: false,
    example: 'spring-sale-video-1',
    description: `Only this ad (1 to ${MAX_AD_ID_LENGTH} characters)`,
  })
  @AnswerRoute({
    path: '/v1/ads/performance',
    type: AdsPerformanceAnswerDto,
    example: ADS_PERFORMANCE_EXAMPLE,
    scope: 'read',
    badRequest:
      'A malformed time, from not before to, a range too long for the interval, an unknown interval, an unknown or ' +
      'repeated group_by name, or an empty or over-long campaign_id or ad_id.',
    badParameter: { parameter: 'group_by', detail: 'group_by names device more than once' },
  })
  performance(@Query() query: Record<string, string>): Promise<AdsPerformanceAnswerDto> {
    return this.ads.performance(parseQuery(adsPerformanceQuerySchema, query));
  }

  /** The campaigns with the most spend in the range, per currency, with their counts, money and ratios. */
  @Get('campaigns')
  @ApiQuery({
    name: 'from',
    required: false,
    example: '2026-11-25T12:00:00Z',
    description: 'ISO-8601; default: 24 hours before to (whole hours, up to the current one)',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    example: '2026-11-26T12:00:00Z',
    description:
      'ISO-8601, exclusive; default now. At most 1827 days after from. Ranges up to 6 hours are read in whole ' +
      'minutes, up to 31 days in whole hours, longer ones in whole days (and so widened to them).',
  })
  @ApiQuery({
    name: 'limit',
    type: Number,
    required: false,
    example: 20,
    description: `Campaigns at most per currency, 1 to ${MAX_CAMPAIGNS_LIMIT}, default 20`,
  })
  @AnswerRoute({
    path: '/v1/ads/campaigns',
    type: AdsCampaignsAnswerDto,
    example: ADS_CAMPAIGNS_EXAMPLE,
    scope: 'read',
    badRequest: 'A malformed time, from not before to, a range over 1827 days or limit out of range.',
    badParameter: { parameter: 'limit', detail: `limit must be at most ${MAX_CAMPAIGNS_LIMIT}` },
  })
  campaigns(@Query() query: Record<string, string>): Promise<AdsCampaignsAnswerDto> {
    return this.ads.campaigns(parseQuery(adsCampaignsQuerySchema, query));
  }
}
