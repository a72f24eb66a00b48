import { Controller, Get, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { TRENDING_HORIZON_LABELS } from '@social-pulse/shared';
import { TRENDING_EXAMPLE } from '../dtos/answer-examples';
import {
  CanaryAdsAnswerDto,
  canaryQuerySchema as noParametersSchema,
  CanarySessionsAnswerDto,
  CANARY_LOOKBACK_MS,
  CANARY_STALE_AFTER_MS,
} from '../dtos/canary.dto';
import { MINUTE_MS } from '../dtos/time-params';
import { TrendingAnswerDto, trendingQuerySchema } from '../dtos/trending.dto';
import { ApiKeyGuard } from '../guards/api-key.guard';
import { AnswerFreshnessInterceptor } from '../interceptors/answer-freshness.interceptor';
import { AdsService } from '../services/ads.service';
import { EngagementService } from '../services/engagement.service';
import { TrendingService } from '../services/trending.service';
import { AnswerRoute, EnumQuery } from './answer-route.decorator';
import { parseQuery } from './parse-query';

/** The dashboard's example with the canary's topics: CANARY: and the hashtag, ranked after the top N. */
const CANARY_TRENDING_EXAMPLE: TrendingAnswerDto = {
  ...TRENDING_EXAMPLE,
  source: 'clickhouse',
  data: {
    ...TRENDING_EXAMPLE.data,
    topics: TRENDING_EXAMPLE.data.topics.slice(0, 1).map((topic) => ({
      ...topic,
      rank: 51,
      topic: 'CANARY:canary-mifp2x4k-7',
    })),
  },
};

/** An answer read for the request at 12:41:07: data_time is the read. */
const canaryEnvelope = {
  data_time: '2026-11-26T12:41:07.000Z',
  computed_at: '2026-11-26T12:41:07.000Z',
  age_ms: 0,
  source: 'clickhouse' as const,
  stale: false,
  stale_after_ms: CANARY_STALE_AFTER_MS,
};

/** Two canaries: one the job reported active and its sink committed, one the session closed of. */
const CANARY_SESSIONS_EXAMPLE: CanarySessionsAnswerDto = {
  data: {
    sessions: [
      {
        user_id: 'CANARY:canary-mifp2x4k-8',
        session_id: '01937a2e-4b5c-7d6e-8f90-a1b2c3d4e5f6',
        session_start: '2026-11-26T12:41:03.412Z',
        session_end: '2026-11-26T12:41:03.412Z',
        events: 1,
        status: 'active',
      },
      {
        user_id: 'CANARY:canary-mifp2x4k-7',
        session_id: '01937a2e-3a1b-7c2d-9e3f-405162738495',
        session_start: '2026-11-26T12:40:58.398Z',
        session_end: '2026-11-26T12:40:58.398Z',
        events: 1,
        status: 'active',
      },
    ],
  },
  ...canaryEnvelope,
};

const CANARY_ADS_EXAMPLE: CanaryAdsAnswerDto = {
  data: {
    ads: [
      {
        period: '2026-11-26T12:41:00.000Z',
        campaign_id: 'CANARY:pulse-canary',
        ad_id: 'canary-mifp2x4k-8',
        impressions: 1,
      },
      {
        period: '2026-11-26T12:40:00.000Z',
        campaign_id: 'CANARY:pulse-canary',
        ad_id: 'canary-mifp2x4k-7',
        impressions: 1,
      },
    ],
  },
  ...canaryEnvelope,
};

const LOOKBACK_MINUTES = CANARY_LOOKBACK_MS / MINUTE_MS;

/** Only the window: the canary reads its whole list. */
const canaryQuerySchema = trendingQuerySchema.pick({ window: true });

/**
 * The end of the canary's path (apps/worker, canary runner): what the dashboard's read path shows
 * of the canary's own events, which the dashboard's answers leave out. Admin keys only: operators'
 * data, not a dashboard's.
 */
@ApiTags('operations')
@ApiSecurity('api-key')
@Controller('v1/canary')
@UseGuards(ApiKeyGuard)
@UseInterceptors(AnswerFreshnessInterceptor)
export class CanaryController {
  constructor(
    private readonly trending: TrendingService,
    private readonly engagement: EngagementService,
    private readonly ads: AdsService,
  ) {}

  /** The canary's trending topics (CANARY: and its hashtag) in the latest window of the horizon that has any. */
  @Get('trending')
  @EnumQuery('window', TRENDING_HORIZON_LABELS, '1m', 'The horizon, default 1m')
  @AnswerRoute({
    path: '/v1/canary/trending',
    type: TrendingAnswerDto,
    example: CANARY_TRENDING_EXAMPLE,
    scope: 'admin',
    badRequest: 'Unknown window.',
    badParameter: { parameter: 'window', detail: 'window must be one of 1m, 5m, 15m' },
  })
  trendingCanaries(@Query() query: Record<string, string>): Promise<TrendingAnswerDto> {
    return this.trending.canary(parseQuery(canaryQuerySchema, query).window);
  }

  /**
   * The canary's sessions (visitor CANARY: and its marker) that started in the last minutes, as
   * `sessions` FINAL shows them: a session is there once the job reported it active and its sink
   * committed it.
   */
  @Get('sessions')
  @AnswerRoute({
    path: '/v1/canary/sessions',
    type: CanarySessionsAnswerDto,
    example: CANARY_SESSIONS_EXAMPLE,
    scope: 'admin',
    badRequest: `The route reads no parameters (it reads the last ${LOOKBACK_MINUTES} minutes): any is unknown.`,
    badParameter: { parameter: 'window', detail: 'unknown query parameter window; this route reads none' },
  })
  sessionCanaries(@Query() query: Record<string, string>): Promise<CanarySessionsAnswerDto> {
    parseQuery(noParametersSchema, query);
    return this.engagement.canarySessions();
  }

  /** The canary campaigns' ads (campaign CANARY: and its id, ad the marker) in the minute facts of the last minutes. */
  @Get('ads')
  @AnswerRoute({
    path: '/v1/canary/ads',
    type: CanaryAdsAnswerDto,
    example: CANARY_ADS_EXAMPLE,
    scope: 'admin',
    badRequest: `The route reads no parameters (it reads the last ${LOOKBACK_MINUTES} minutes): any is unknown.`,
    badParameter: { parameter: 'window', detail: 'unknown query parameter window; this route reads none' },
  })
  adCanaries(@Query() query: Record<string, string>): Promise<CanaryAdsAnswerDto> {
    parseQuery(noParametersSchema, query);
    return this.ads.canary();
  }
}
