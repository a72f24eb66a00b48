import type { IncomingHttpHeaders } from 'node:http';
import { ClickHouseError } from './clickhouse-error';

/**
 * URL parameters that the HTTP handler itself consumes; ClickHouse treats every other
 * parameter (except `param_*`, `query`, `database`, `default_format`) as a setting.
 */
const RESERVED = new Set([
  'query',
  'database',
  'default_format',
  'compress',
  'decompress',
  'user',
  'password',
  'quota_key',
  'query_id',
  'stacktrace',
  'buffer_size',
  'wait_end_of_query',
  'session_id',
  'session_timeout',
  'session_check',
  'client_protocol_version',
  'close_session',
  'role',
]);

export interface Credentials {
  user: string;
  password: string;
}

/** Everything a query request says besides its SQL text and body. */
export interface RequestOptions {
  query: string;
  queryId?: string;
  database?: string;
  defaultFormat?: string;
  sessionId?: string;
  sessionTimeout: string | null;
  sessionCheck: boolean;
  closeSession: boolean;
  waitEndOfQuery: boolean;
  /** `compress=1` asks for ClickHouse's own block compression, which this server does not produce. */
  internalCompression: boolean;
  /** Settings in URL order, as the engine will apply them. */
  settings: Array<[string, string]>;
  /** Values for `{name:Type}` placeholders. */
  params: Record<string, string>;
}

const truthy = (value: string | null) =>
  value !== null && value !== '0' && value.toLowerCase() !== 'false' && value !== '';

export function parseRequestOptions(search: URLSearchParams, headers: IncomingHttpHeaders): RequestOptions {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const options: RequestOptions = {
    query: search.get('query') ?? '',
    queryId: search.get('query_id') || header('x-clickhouse-query-id') || undefined,
    database: header('x-clickhouse-database') || search.get('database') || undefined,
    defaultFormat: header('x-clickhouse-format') || search.get('default_format') || undefined,
    sessionId: search.get('session_id') || undefined,
    sessionTimeout: search.get('session_timeout'),
    sessionCheck: search.get('session_check') === '1',
    closeSession: truthy(search.get('close_session')),
    waitEndOfQuery: truthy(search.get('wait_end_of_query')),
    internalCompression: truthy(search.get('compress')),
    settings: [],
    params: {},
  };
  for (const [key, value] of search) {
    if (key === '' || RESERVED.has(key)) continue;
    if (key.startsWith('param_')) {
      // The first value wins, as in ClickHouse's handler.
      const name = key.slice('param_'.length);
      if (!(name in options.params)) options.params[name] = value;
    } else {
      options.settings.push([key, value]);
    }
  }
  return options;
}

/**
 * Who is asking: X-ClickHouse-User/Key headers, HTTP Basic, or user/password parameters,
 * never two of them at once (ClickHouse refuses the mix). No credentials at all means `default`.
 */
export function readCredentials(search: URLSearchParams, headers: IncomingHttpHeaders): Credentials {
  const user = headers['x-clickhouse-user'];
  const key = headers['x-clickhouse-key'];
  const authorization = headers.authorization;
  const inParams = search.has('user') || search.has('password') || search.has('quota_key');
  const hasHeaders = Boolean(user || key);
  if (hasHeaders) {
    if (authorization) {
      throw ClickHouseError.of(
        'AUTHENTICATION_FAILED',
        'Invalid authentication: it is not allowed to use X-ClickHouse HTTP headers and other authentication methods simultaneously',
      );
    }
    if (inParams) {
      throw ClickHouseError.of(
        'AUTHENTICATION_FAILED',
        'Invalid authentication: it is not allowed to use X-ClickHouse HTTP headers and authentication via parameters simultaneously',
      );
    }
    return { user: String(user || 'default'), password: String(key ?? '') };
  }
  if (authorization) {
    if (inParams) {
      throw ClickHouseError.of(
        'AUTHENTICATION_FAILED',
        'Invalid authentication: it is not allowed to use Authorization HTTP header and authentication via parameters simultaneously',
      );
    }
    const [scheme, data = ''] = authorization.split(/\s+/, 2);
    if (scheme.toLowerCase() !== 'basic') {
      throw ClickHouseError.of(
        'AUTHENTICATION_FAILED',
        `Invalid authentication: '${scheme}' HTTP Authorization scheme is not supported`,
      );
    }
    const decoded = Buffer.from(data, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0
      ? { user: decoded, password: '' }
      : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  return { user: search.get('user') || 'default', password: search.get('password') ?? '' };
}
