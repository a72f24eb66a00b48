import { createClickHouse } from '@social-pulse/clickhouse';
import { BROWSER_USER_AGENT, contentEvent, platform, userEvent } from '@social-pulse/testing';
import { afterAll, describe, expect, it } from 'vitest';

const post = (events: unknown[], headers: Record<string, string> = {}) =>
  fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': 'pulse-dev-write-key', ...headers },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
  });

interface SessionRow {
  session_id: string;
  events: number;
  page_views: number;
  distinct_pages: number;
  entry_page: string;
  exit_page: string;
  likes: number;
  device_type: string;
  status: string;
  revision: number;
}

describe('sessions end to end', () => {
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl });
  afterAll(() => clickhouse.close());

  const reports = async (userId: string) =>
    (
      await clickhouse.query({
        query: `SELECT session_id, events, page_views, distinct_pages, entry_page, exit_page, likes, device_type,
                       status, revision FROM sessions WHERE user_id = {user:String} AND is_deleted = 0 ORDER BY revision`,
        query_params: { user: userId },
        format: 'JSONEachRow',
      })
    ).json<SessionRow>();

  it('should show a session in progress within seconds and update the same row as it grows', async () => {
    const user_id = `sessions-e2e-${Date.now().toString(36)}`;
    const start = Date.now() - 60_000;
    const page = (path: string, at: number) =>
      userEvent({
        user_id,
        client_ts: new Date(at).toISOString(),
        context: { page: { url: `https://social.example${path}`, path, title: path }, user_agent: BROWSER_USER_AGENT },
      });
    const first = [page('/feed', start), page('/post/1', start + 10_000)];
    expect((await post(first)).status).toBe(202);
    await expect.poll(async () => (await reports(user_id)).at(-1)?.events, { timeout: 30_000, interval: 500 }).toBe(2);

    // The visit goes on (and the client resends the first batch): the same session grows.
    const more = [
      contentEvent({ user_id, event_type: 'content.liked', client_ts: new Date(start + 20_000).toISOString() }),
      page('/feed', start + 30_000),
    ];
    expect((await post([...first, ...more])).status).toBe(202);
    await expect.poll(async () => (await reports(user_id)).at(-1)?.events, { timeout: 30_000, interval: 500 }).toBe(4);

    const rows = await reports(user_id);
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(1);
    expect(rows.map((r) => r.revision)).toEqual([...rows.map((r) => r.revision)].sort((a, b) => a - b));
    expect(rows.at(-1)).toMatchObject({
      events: 4,
      page_views: 3,
      distinct_pages: 2,
      entry_page: '/feed',
      exit_page: '/feed',
      likes: 1,
      device_type: 'desktop',
      status: 'active',
    });
  });
});
