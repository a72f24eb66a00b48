import { CANARY_TOPIC_PREFIX, uuidv7 } from '@social-pulse/events';
import type { CanaryCollector, CanaryFeature } from './canary-runner';

/** A request that takes longer is a failed read or send; the next tick tries again. */
const REQUEST_TIMEOUT_MS = 5_000;

/**
 * The canary posts as the SDK does from a browser: a server's user agent would flag its events as a
 * bot's, which the trending job counts apart (bot_mentions), so they would never make a row.
 */
const BROWSER_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** The canary's user: one author, whose mentions the trending job counts under canary topics only. */
export const CANARY_USER_ID = 'pulse-canary';

async function request(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}`);
  return response;
}

/** The collector's batch endpoint with the canary's write key: the key the collector marks events for. */
export function httpCanaryCollector(collectorUrl: string, writeKey: string): CanaryCollector {
  return {
    async send(events) {
      const response = await request(new URL('/v1/batch', collectorUrl).toString(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-write-key': writeKey, 'user-agent': BROWSER_USER_AGENT },
        body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
      });
      const answer = (await response.json()) as { rejected?: { reason: string }[] };
      if (answer.rejected?.length) throw new Error(`rejected: ${answer.rejected[0].reason}`);
    },
  };
}

/**
 * Trending: a post with the marker as its one hashtag; visible once the API's canary route (the
 * dashboard's trending query, canary topics only) lists it in the shortest horizon's latest window.
 */
export function trendingCanary(apiUrl: string, apiKey: string, window = '1m'): CanaryFeature {
  const url = new URL(`/v1/canary/trending?window=${window}`, apiUrl).toString();
  return {
    name: 'trending',
    event: (marker, now) => ({
      event_id: uuidv7(),
      event_type: 'content.post_created',
      schema_version: 1,
      user_id: CANARY_USER_ID,
      client_ts: now.toISOString(),
      properties: { content_id: marker, hashtags: [marker] },
    }),
    async visible() {
      const response = await request(url, { headers: { 'x-api-key': apiKey } });
      const answer = (await response.json()) as { data: { topics: { topic: string }[] } };
      return new Set(
        answer.data.topics
          .filter((topic) => topic.topic.startsWith(CANARY_TOPIC_PREFIX))
          .map((topic) => topic.topic.slice(CANARY_TOPIC_PREFIX.length)),
      );
    },
  };
}
