import { Controller, Get, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AdsCampaignsAnswerDto, adsCampaignsQuerySchema, MAX_CAMPAIGNS_LIMIT } from '../dtos/ads-campaigns.dto';
import { MAX_AD_ID_LENGTH } from '../dtos/ads-measures';
import {
  ADS_GROUP_BYS,
  ADS_INTERVALS,
  AdsPerformanceAnswerDto,
  adsPerformanceQuerySchema,
} from '../dtos/ads-performance.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { AdsService } from '../services/ads.service';
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
    description: 'ISO-8601 (with Z or an offset, or a date); default: the interval’s default span before to',
  })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601, exclusive; default now' })
  @ApiQuery({
    name: 'interval',
    enum: ADS_INTERVALS,
    required: false,
    description:
      'minute (default; range default 1 hour, at most 24 hours; minutes are kept 35 days), hour (default 24 hours, ' +
      'at most 31 days; kept 400 days), day (default 30 days, at most 1827 days; kept 5 years). from and to are ' +
      'widened to whole periods.',
  })
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
    description: `Only this campaign (1 to ${MAX_AD_ID_LENGTH} characters)`,
  })
  @ApiQuery({ name: 'ad_id', required: false, description: `Only this ad (1 to ${MAX_AD_ID_LENGTH} characters)` })
  @ApiOkResponse({ type: AdsPerformanceAnswerDto })
  @ApiBadRequestResponse({
    description:
      'A malformed time, from not before to, a range too long for the interval, an unknown interval, an unknown or ' +
      'repeated group_by name, or an empty or over-long campaign_id or ad_id.',
  })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown API key.' })
  performance(@Query() query: Record<string, string>): Promise<AdsPerformanceAnswerDto> {
    return this.ads.performance(parseQuery(adsPerformanceQuerySchema, query));
  }

  /** The campaigns with the most spend in the range, per currency, with their counts, money and ratios. */
  @Get('campaigns')
  @ApiQuery({
    name: 'from',
    required: false,
    description: 'ISO-8601; default: 24 hours before to (whole hours, up to the current one)',
  })
  @ApiQuery({
    name: 'to',
    required: false,
    description:
      'ISO-8601, exclusive; default now. At most 1827 days after from. Ranges up to 6 hours are read in whole ' +
      'minutes, up to 31 days in whole hours, longer ones in whole days (and so widened to them).',
  })
  @ApiQuery({
    name: 'limit',
    type: Number,
    required: false,
    description: `Campaigns at most per currency, 1 to ${MAX_CAMPAIGNS_LIMIT}, default 20`,
  })
  @ApiOkResponse({ type: AdsCampaignsAnswerDto })
  @ApiBadRequestResponse({
    description: 'A malformed time, from not before to, a range over 1827 days or limit out of range.',
  })
  @ApiUnauthorizedResponse({ description: 'Missing or unknown API key.' })
  campaigns(@Query() query: Record<string, string>): Promise<AdsCampaignsAnswerDto> {
    return this.ads.campaigns(parseQuery(adsCampaignsQuerySchema, query));
  }
}
