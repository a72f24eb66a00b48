import { createClient, type ClickHouseClient } from '@clickhouse/client';

export interface ClickHouseSettings {
  url: string;
  username?: string;
  password?: string;
  database?: string;
  /** How long a request may take before the client gives up (default 30 s). */
  requestTimeoutMs?: number;
}

/** A ClickHouse client over HTTP; the URL may carry user and password (http://user:pass@host:8123). */
export function createClickHouse(settings: ClickHouseSettings, application = 'social-pulse'): ClickHouseClient {
  const url = new URL(settings.url);
  const username = settings.username ?? (decodeURIComponent(url.username) || 'default');
  const password = settings.password ?? decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return createClient({
    url: url.toString().replace(/\/$/, ''),
    username,
    password,
    database: settings.database,
    application,
    request_timeout: settings.requestTimeoutMs ?? 30_000,
  });
}
