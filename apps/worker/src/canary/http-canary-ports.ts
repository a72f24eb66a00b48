import { CANARY_ID_PREFIX, CANARY_TOPIC_PREFIX, uuidv7 } from '@social-pulse/events';
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

/** The canary's campaign, which the ads job files as CANARY:pulse-canary: one campaign, an ad per canary. */
export const CANARY_CAMPAIGN_ID = 'pulse-canary';

/** The ids of the canary's form (CANARY_ID_PREFIX) among `ids`, without the prefix: the markers they carry. */
function canaryMarkers(ids: string[]): Set<string> {
  return new Set(ids.filter((id) => id.startsWith(CANARY_ID_PREFIX)).map((id) => id.slice(CANARY_ID_PREFIX.length)));
}

/** An admin GET of one of the API's canary routes, its JSON answer. */
async function readCanaryRoute<T>(url: string, apiKey: string): Promise<T> {
  const response = await request(url, { headers: { 'x-api-key': apiKey } });
  return (await response.json()) as T;
}

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

/**
 * Sessions: a page view by a visitor of its own, the marker (the job files it as CANARY: and the
 * marker, one session per canary); visible once the API's canary route (`sessions` FINAL, canary
 * visitors only) lists that session. A session is written while in progress, not only once it
 * closes after the 30-minute gap: the job reports it active at its first early firing (1 s) and the
 * sink commits it at the next checkpoint (3 s), which is what the dashboard's live sessions read. So
 * the latency is the time until a session in progress shows, the sessions job's promise.
 */
export function sessionsCanary(apiUrl: string, apiKey: string): CanaryFeature {
  const url = new URL('/v1/canary/sessions', apiUrl).toString();
  return {
    name: 'sessions',
    event: (marker, now) => ({
      event_id: uuidv7(),
      event_type: 'user.page_viewed',
      schema_version: 1,
      user_id: marker,
      client_ts: now.toISOString(),
      context: { page: { path: '/canary' } },
    }),
    async visible() {
      const answer = await readCanaryRoute<{ data: { sessions: { user_id: string }[] } }>(url, apiKey);
      return canaryMarkers(answer.data.sessions.map((session) => session.user_id));
    },
  };
}

/**
 * Ads: an impression of the canary's campaign (filed as CANARY:pulse-canary), its ad and impression
 * the marker; visible once the API's canary route (the minute facts, canary campaigns only) lists
 * that ad: the job joined, tagged and summed it, the sink committed it and the minute view rolled it
 * up, as every impression the dashboard's ad figures count.
 */
export function adsCanary(apiUrl: string, apiKey: string): CanaryFeature {
  const url = new URL('/v1/canary/ads', apiUrl).toString();
  return {
    name: 'ads',
    event: (marker, now) => ({
      event_id: uuidv7(),
      event_type: 'ad.impression',
      schema_version: 1,
      user_id: CANARY_USER_ID,
      client_ts: now.toISOString(),
      properties: { campaign_id: CANARY_CAMPAIGN_ID, ad_id: marker, impression_id: marker },
    }),
    async visible() {
      const answer = await readCanaryRoute<{ data: { ads: { campaign_id: string; ad_id: string }[] } }>(url, apiKey);
      return new Set(answer.data.ads.filter((ad) => ad.campaign_id.startsWith(CANARY_ID_PREFIX)).map((ad) => ad.ad_id));
    },
  };
}
