import { createApiClient, isProblem, type ApiClient } from '@social-pulse/api-client';
import type { FetchFailure } from './freshness';
import { SseParser } from './sse-parser';
import type { AnswerEnvelope, TopicHistoryData, TrendingWindow } from './types';

// Every call the page makes to the API goes through this module: answers through the typed client
// (packages/api-client), the update stream with fetch (the client does not stream). The key
// travels in X-API-Key on every request, the stream's included.

export type Fetched<T> =
  | { ok: true; envelope: AnswerEnvelope<T>; receivedAt: number }
  | { ok: false; failure: FetchFailure; receivedAt: number };

/** One typed read of the client, e.g. `(api) => api.GET('/v1/engagement/live')`. */
export type AnswerRead = (api: ApiClient) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** A refreshed answer, as GET /v1/stream announces it. */
export interface AnswerUpdate {
  answer: string;
  data_time: string | null;
  computed_at: string | null;
}

export interface StreamHandlers {
  /** The stream is open (true), or was lost and is being reopened (false). */
  connected(open: boolean): void;
  /** Whether the API's subscription stands; false: updates are not coming through. */
  live(live: boolean): void;
  answer(update: AnswerUpdate): void;
  /** The key was refused: the stream is not reopened. */
  refused(failure: FetchFailure): void;
}

export interface DashboardApi {
  /** One answer, as its envelope or why not. */
  answer<T>(read: AnswerRead): Promise<Fetched<T>>;
  topicHistory(topic: string, window: TrendingWindow, minutes: number): Promise<Fetched<TopicHistoryData>>;
  /** Opens the update stream, reopening it when lost; returns a function that closes it for good. */
  stream(handlers: StreamHandlers): () => void;
}

/** A stream silent for longer than this (the API sends a heartbeat every 15 s) is reopened. */
const STREAM_SILENCE_MS = 45_000;
const MAX_RECONNECT_MS = 30_000;

const KINDS: Record<number, FetchFailure['kind']> = {
  401: 'unauthorized',
  403: 'forbidden',
  429: 'rate-limited',
  503: 'unavailable',
};

/** Why a response was not an answer: its status, and the problem details' words and members. */
function failureOf(response: Response, body: unknown): FetchFailure {
  const problem = isProblem(body) ? body : undefined;
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    kind: KINDS[response.status] ?? 'failed',
    status: response.status,
    detail: problem?.detail ?? (response.statusText || `status ${response.status}`),
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
    dependencies: (problem?.dependencies ?? []).map(String),
  };
}

const unreachable = (error: unknown): FetchFailure => ({
  kind: 'unreachable',
  status: null,
  detail: error instanceof Error ? error.message : String(error),
  retryAfterMs: null,
  dependencies: [],
});

export function createDashboardApi(key: string, baseUrl = ''): DashboardApi {
  // no-store: a read follows an announced change, so the browser's cache could only hand back the
  // answer before it (and a revalidated copy would carry the age it had when first received).
  const client = createApiClient({ baseUrl, apiKey: key, cache: 'no-store' });

  async function answer<T>(read: AnswerRead): Promise<Fetched<T>> {
    try {
      const { data, error, response } = await read(client);
      const receivedAt = Date.now();
      if (!response.ok) return { ok: false, failure: failureOf(response, error), receivedAt };
      return { ok: true, envelope: data as AnswerEnvelope<T>, receivedAt };
    } catch (error) {
      return { ok: false, failure: unreachable(error), receivedAt: Date.now() };
    }
  }

  function stream(handlers: StreamHandlers): () => void {
    let closed = false;
    let attempt = 0;
    let controller: AbortController | undefined;
    let retryMs = 2_000;

    const connect = async () => {
      if (closed) return;
      controller = new AbortController();
      const abort = controller;
      let silence: ReturnType<typeof setTimeout> | undefined;
      const heard = () => {
        clearTimeout(silence);
        silence = setTimeout(() => abort.abort(), STREAM_SILENCE_MS);
      };
      try {
        const response = await fetch(`${baseUrl}/v1/stream`, {
          headers: { 'X-API-Key': key, Accept: 'text/event-stream' },
          cache: 'no-store',
          signal: abort.signal,
        });
        if (response.status === 401 || response.status === 403) {
          closed = true;
          handlers.refused(failureOf(response, await response.json().catch(() => undefined)));
          return;
        }
        if (!response.ok || !response.body) throw new Error(`the stream answered ${response.status}`);
        attempt = 0;
        handlers.connected(true);
        heard();
        const parser = new SseParser();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          heard();
          for (const event of parser.push(value)) {
            const data = JSON.parse(event.data) as Record<string, unknown>;
            if (event.event === 'answer') handlers.answer(data as unknown as AnswerUpdate);
            else if (event.event === 'ready' || event.event === 'status') handlers.live(data.live === true);
          }
          retryMs = parser.retryMs ?? retryMs;
        }
      } catch {
        // Lost, aborted after silence, or refused by the network: reopened below.
      } finally {
        clearTimeout(silence);
      }
      if (closed) return;
      handlers.connected(false);
      attempt += 1;
      const delay = Math.min(retryMs * 2 ** (attempt - 1), MAX_RECONNECT_MS) * (0.75 + Math.random() / 2);
      setTimeout(() => void connect(), delay);
    };

    void connect();
    return () => {
      closed = true;
      controller?.abort();
    };
  }

  return {
    answer,
    topicHistory: (topic, window, minutes) =>
      answer<TopicHistoryData>((api) =>
        api.GET('/v1/trending/{topic}/history', {
          params: { path: { topic }, query: { window, minutes } },
        }),
      ),
    stream,
  };
}
