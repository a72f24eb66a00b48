import { PROBLEM_TYPES } from '@social-pulse/observability/nest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_USER_ID_LENGTH, USER_SESSIONS_CACHE_TTL_SECONDS } from '../dtos/user-sessions.dto';
import { userSessionsKey } from '../repositories/redis.repository';
import { startApiTestApp, TEST_ADMIN_API_KEY, TEST_API_KEY, type ApiTestApp } from '../testing/api-test-app';
import { userSessionRow, userSessionRows } from '../testing/engagement.fixtures';
import { UsersController } from './users.controller';

const NOW = new Date('2025-06-01T12:00:30.000Z');

describe(UsersController.name, () => {
  let api: ApiTestApp;

  beforeEach(async () => {
    api = await startApiTestApp();
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });

  afterEach(async () => {
    vi.useRealTimers();
    await api.close();
  });

  /** Personal data: the route needs a key of scope admin. */
  const get = (url: string) => api.get(url, { 'x-api-key': TEST_ADMIN_API_KEY });

  it("should answer a user's journey of the last 7 days in the envelope and cache it for 5 s", async () => {
    api.clickhouse.withUserSessions('u-1', [userSessionRow({ status: 'active' })]);

    const response = await get('/v1/users/u-1/sessions');

    const query = {
      user_id: 'u-1',
      from: new Date('2025-05-25T12:01:00.000Z'),
      to: new Date('2025-06-01T12:01:00.000Z'),
      limit: 100,
    };
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      data: {
        user_id: 'u-1',
        from: '2025-05-25T12:01:00.000Z',
        to: '2025-06-01T12:01:00.000Z',
        sessions: [
          expect.objectContaining({
            session_start: '2025-06-01T11:00:00.000Z',
            duration_ms: 330_500,
            entry_page: '/home',
            exit_page: '/post/7',
            status: 'active',
          }),
        ],
        has_more: false,
      },
      data_time: NOW.toISOString(),
      computed_at: NOW.toISOString(),
      age_ms: 0,
      source: 'clickhouse',
      stale: false,
      stale_after_ms: 10_000,
    });
    expect(api.clickhouse.engagementQueries).toEqual([{ kind: 'user-sessions', query }]);
    expect(api.redis.answerWrites).toEqual([
      expect.objectContaining({ key: userSessionsKey(query), ttlSeconds: USER_SESSIONS_CACHE_TTL_SECONDS }),
    ]);
  });

  it('should answer the same request again from Redis', async () => {
    api.clickhouse.withUserSessions('u-1', userSessionRows(3));
    const first = await get('/v1/users/u-1/sessions?limit=2');

    const second = await get('/v1/users/u-1/sessions?limit=2');

    expect(first.json().data).toMatchObject({ has_more: true });
    expect(first.json().data.sessions).toHaveLength(2);
    expect(second.json()).toEqual({ ...first.json(), source: 'redis' });
    expect(api.clickhouse.engagementQueries).toHaveLength(1);
  });

  it('should take the user id from the path, decoded, and keep users apart', async () => {
    api.clickhouse.withUserSessions('a:anon 7', userSessionRows(1)).withUserSessions('u-2', userSessionRows(2));

    const anonymous = await get('/v1/users/a%3Aanon%207/sessions');
    const other = await get('/v1/users/u-2/sessions');

    expect(anonymous.json().data).toMatchObject({ user_id: 'a:anon 7' });
    expect(anonymous.json().data.sessions).toHaveLength(1);
    expect(other.json().data.sessions).toHaveLength(2);
  });

  it.each([
    ['a limit over 500', '?limit=501', 'limit must be at most 500'],
    ['a malformed to', '?to=now', 'to must be an ISO-8601 time such as 2026-11-26T12:00:00Z'],
    ['from after to', '?from=2025-06-02T00:00:00Z', 'from must be before to'],
    ['a range over 90 days', '?from=2025-01-01T00:00:00Z', 'from and to must be at most 90 days apart'],
  ])('should answer 400 to %s, naming the parameter', async (_, query, message) => {
    const response = await get(`/v1/users/u-1/sessions${query}`);

    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400, detail: message });
    expect(api.clickhouse.engagementQueries).toEqual([]);
  });

  it('should take the longest user id there is, even percent-encoded, and answer 400 to a longer one', async () => {
    const longest = `a:${'é'.repeat(64)}${'x'.repeat(64)}`;
    expect(longest).toHaveLength(MAX_USER_ID_LENGTH);

    const ok = await get(`/v1/users/${encodeURIComponent(longest)}/sessions`);
    const tooLong = await get(`/v1/users/${'x'.repeat(MAX_USER_ID_LENGTH + 1)}/sessions`);

    expect(ok.statusCode).toBe(200);
    expect(ok.json().data.user_id).toBe(longest);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({
      detail: 'user_id must be at most 130 characters',
      errors: [{ parameter: 'user_id', detail: 'user_id must be at most 130 characters' }],
    });
  });

  it('should answer 403 with the scope needed to a dashboard (read) key, touching nothing', async () => {
    const response = await api.get('/v1/users/u-1/sessions', { 'x-api-key': TEST_API_KEY });

    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toEqual({
      type: PROBLEM_TYPES.insufficientScope,
      title: 'Forbidden',
      status: 403,
      detail: 'this route needs an API key of scope admin',
      instance: '/v1/users/u-1/sessions',
      required_scope: 'admin',
    });
    expect(api.redis.answerReads).toEqual([]);
    expect(api.clickhouse.engagementQueries).toEqual([]);
  });

  it('should answer 401 without a key', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/users/u-1/sessions' });

    expect(response.statusCode).toBe(401);
    expect(api.redis.answerReads).toEqual([]);
    expect(api.clickhouse.engagementQueries).toEqual([]);
  });

  it('should be documented behind the API key, answering the envelope', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    const operation = document.paths['/v1/users/{user_id}/sessions'].get;

    expect(operation.security).toEqual([{ 'api-key': [] }]);
    expect(operation['x-required-scope']).toBe('admin');
    expect(operation.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/UserSessionsAnswerDto',
    });
    const parameters = operation.parameters.filter((p: { in: string }) => p.in !== 'header');
    expect(parameters.map((p: { name: string }) => p.name).sort()).toEqual(['from', 'limit', 'to', 'user_id']);
    expect(document.components.schemas.UserSessionDto.properties.status.enum).toEqual(['active', 'closed', 'sealed']);
  });
});
