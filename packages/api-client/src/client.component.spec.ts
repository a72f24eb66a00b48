import {
  startApiTestApp,
  TEST_ADMIN_API_KEY,
  TEST_API_KEY,
  type ApiTestApp,
} from '@social-pulse/api/testing/api-test-app';
import { trendingRows } from '@social-pulse/api/testing/trending.fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient, isProblem, type ApiClient } from './index';

/** fetch answered by the API app in-process (app.inject), so the client runs its real request path. */
function injectFetch(api: ApiTestApp): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const sent: Record<string, string> = {};
    request.headers.forEach((value, name) => (sent[name] = value));
    const answer = await api.app.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers: sent,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    return new Response(answer.statusCode === 304 ? null : answer.body, { status: answer.statusCode, headers });
  };
}

describe(createApiClient.name, () => {
  let api: ApiTestApp;
  const client = (apiKey: string): ApiClient =>
    createApiClient({ baseUrl: 'http://api.test', apiKey, fetch: injectFetch(api) });

  beforeEach(async () => {
    api = await startApiTestApp();
    api.clickhouse.withTrending('5m', trendingRows(3));
  });
  afterEach(() => api.close());

  it('should send the key and answer typed data', async () => {
    const { data, error, response } = await client(TEST_API_KEY).GET('/v1/trending', {
      params: { query: { window: '5m', limit: 2 } },
    });

    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data?.data.window).toBe('5m');
    expect(data?.data.topics.map((topic) => topic.rank)).toEqual([1, 2]);
    expect(data?.source).toBe('clickhouse');
  });

  it('should fill path parameters', async () => {
    api.clickhouse.withUserSessions('a:anon 7', []);

    const { data } = await client(TEST_ADMIN_API_KEY).GET('/v1/users/{user_id}/sessions', {
      params: { path: { user_id: 'a:anon 7' }, query: { limit: 10 } },
    });

    expect(data?.data).toMatchObject({ user_id: 'a:anon 7', sessions: [], has_more: false });
  });

  it('should answer an error as a problem', async () => {
    const { data, error, response } = await client(TEST_API_KEY).GET('/v1/trending', {
      params: { query: { limit: 500 } },
    });

    expect(response.status).toBe(400);
    expect(data).toBeUndefined();
    expect(isProblem(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, errors: [{ parameter: 'limit', detail: 'limit must be at most 100' }] });
  });

  it('should tell a read key from an admin key', async () => {
    const { error } = await client(TEST_API_KEY).GET('/v1/users/{user_id}/sessions', {
      params: { path: { user_id: 'u-1' } },
    });

    expect(error).toMatchObject({ status: 403, required_scope: 'admin' });
  });
});

describe(isProblem.name, () => {
  it('should tell a problem from other bodies', () => {
    expect(isProblem({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no', instance: '/x' })).toBe(
      true,
    );
    expect(isProblem({ statusCode: 404, message: 'no' })).toBe(false);
    expect(isProblem(null)).toBe(false);
  });
});
