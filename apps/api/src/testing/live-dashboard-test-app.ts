import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { configureHttpApp, createFastifyAdapter } from '@social-pulse/observability/nest';
import { apiHttpOptions } from '../api-http';
import { createApiModule } from '../app.module';
import { DASHBOARD_DIR } from '../controllers/dashboard.controller';
import { ClickHouseRepository } from '../repositories/clickhouse.repository';
import { RedisRepository } from '../repositories/redis.repository';
import {
  ANSWER_STREAM_OPTIONS,
  DEFAULT_ANSWER_STREAM_OPTIONS,
  type AnswerStreamOptions,
} from '../services/answer-streams.service';
import { ANSWER_UPDATE_FEED } from '../services/answer-updates.service';
import { apiTestConfig } from './api-test-app';
import { FakeAnswerUpdateFeed } from './fake-answer-update-feed';
import { FakeClickHouseRepository } from './fake-clickhouse.repository';
import { FakeRedisRepository } from './fake-redis.repository';

export interface LiveDashboardTestApp {
  app: NestFastifyApplication;
  /** http://127.0.0.1:<port>: the app listens, because a stream needs a real connection. */
  url: string;
  feed: FakeAnswerUpdateFeed;
  /** The directory the page is served from (empty until the test writes files into it). */
  dashboardDir: string;
  /** Closes the app and removes the directory; closing twice is harmless. */
  close(): Promise<void>;
}

/**
 * The real api module listening on a free port, with fakes at its outgoing ports: Redis, ClickHouse,
 * the answer update channel, and a temporary directory in place of the built page.
 */
export async function startLiveDashboardTestApp(
  options: { stream?: Partial<AnswerStreamOptions> } = {},
): Promise<LiveDashboardTestApp> {
  const feed = new FakeAnswerUpdateFeed();
  const dashboardDir = mkdtempSync(join(tmpdir(), 'dashboard-dist-'));
  const config = apiTestConfig();
  const moduleRef = await Test.createTestingModule({ imports: [createApiModule(config)] })
    .overrideProvider(RedisRepository)
    .useValue(new FakeRedisRepository())
    .overrideProvider(ClickHouseRepository)
    .useValue(new FakeClickHouseRepository())
    .overrideProvider(ANSWER_UPDATE_FEED)
    .useValue(feed)
    .overrideProvider(ANSWER_STREAM_OPTIONS)
    .useValue({ ...DEFAULT_ANSWER_STREAM_OPTIONS, ...options.stream })
    .overrideProvider(DASHBOARD_DIR)
    .useValue(dashboardDir)
    .compile();
  const httpOptions = apiHttpOptions(config);
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(httpOptions), {
    logger: false,
  });
  await configureHttpApp(app, httpOptions);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  let closed = false;
  return {
    app,
    url,
    feed,
    dashboardDir,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      rmSync(dashboardDir, { recursive: true, force: true });
    },
  };
}
