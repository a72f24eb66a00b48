import type { Provider } from '@nestjs/common';
import { DASHBOARD_DIST_DIR } from '@social-pulse/dashboard/dist-dir';
import { API_CONFIG, type ApiConfig } from './config';
import { AnswerStreamController } from './controllers/answer-stream.controller';
import { DASHBOARD_DIR, DashboardController } from './controllers/dashboard.controller';
import { ANSWER_STREAM_OPTIONS, AnswerStreams, DEFAULT_ANSWER_STREAM_OPTIONS } from './services/answer-streams.service';
import { ANSWER_UPDATE_FEED, AnswerUpdates, RedisAnswerUpdateFeed } from './services/answer-updates.service';

/**
 * The live dashboard (issue 15): its page at /dashboard and the event stream that tells it which
 * answer was refreshed (GET /v1/stream), spread into the API module.
 */
export const LIVE_DASHBOARD_CONTROLLERS = [AnswerStreamController, DashboardController];

export const LIVE_DASHBOARD_PROVIDERS: Provider[] = [
  {
    provide: ANSWER_UPDATE_FEED,
    useFactory: (config: ApiConfig) => new RedisAnswerUpdateFeed(config.REDIS_URL),
    inject: [API_CONFIG],
  },
  { provide: ANSWER_STREAM_OPTIONS, useValue: DEFAULT_ANSWER_STREAM_OPTIONS },
  { provide: DASHBOARD_DIR, useValue: DASHBOARD_DIST_DIR },
  AnswerUpdates,
  AnswerStreams,
];
