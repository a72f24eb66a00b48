import { describe, expect, it } from 'vitest';
import { parseRequestOptions, readCredentials } from './request-options';

describe(parseRequestOptions.name, () => {
  it('should sort URL parameters into settings, query parameters and the handler own', () => {
    const options = parseRequestOptions(
      new URLSearchParams(
        'query=SELECT+1&database=db&default_format=CSV&query_id=q1&max_threads=2&param_x=1&param_x=2&session_id=s&session_timeout=30&wait_end_of_query=1&readonly=1&&user=u',
      ),
      {},
    );
    expect(options).toMatchObject({
      query: 'SELECT 1',
      database: 'db',
      defaultFormat: 'CSV',
      queryId: 'q1',
      sessionId: 's',
      sessionTimeout: '30',
      waitEndOfQuery: true,
      settings: [
        ['max_threads', '2'],
        ['readonly', '1'],
      ],
      params: { x: '1' },
    });
  });

  it('should prefer the X-ClickHouse-Database, -Format and -Query-Id headers', () => {
    const options = parseRequestOptions(new URLSearchParams('database=a&default_format=CSV'), {
      'x-clickhouse-database': 'b',
      'x-clickhouse-format': 'JSON',
      'x-clickhouse-query-id': 'h1',
    });
    expect(options).toMatchObject({ database: 'b', defaultFormat: 'JSON', queryId: 'h1' });
  });
});

describe(readCredentials.name, () => {
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

  it('should read Basic auth, X-ClickHouse headers and URL parameters, and default to default', () => {
    expect(readCredentials(new URLSearchParams(), { authorization: basic('u:p:w') })).toEqual({
      user: 'u',
      password: 'p:w',
    });
    expect(readCredentials(new URLSearchParams(), { 'x-clickhouse-user': 'h', 'x-clickhouse-key': 'k' })).toEqual({
      user: 'h',
      password: 'k',
    });
    expect(readCredentials(new URLSearchParams('user=q&password=r'), {})).toEqual({
      user: 'q',
      password: 'r',
    });
    expect(readCredentials(new URLSearchParams(), {})).toEqual({ user: 'default', password: '' });
  });

  it('should refuse two ways of authenticating at once', () => {
    expect(() => readCredentials(new URLSearchParams('user=q'), { authorization: basic('u:p') })).toThrow(
      /not allowed/,
    );
    expect(() =>
      readCredentials(new URLSearchParams(), {
        authorization: basic('u:p'),
        'x-clickhouse-user': 'h',
      }),
    ).toThrow(/not allowed/);
    expect(() => readCredentials(new URLSearchParams(), { authorization: 'Bearer abc' })).toThrow(
      /'Bearer' HTTP Authorization scheme is not supported/,
    );
  });
});
