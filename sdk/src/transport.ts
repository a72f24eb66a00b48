import { parseRetryAfter } from './retry-policy';
import type { BatchAnswer } from './types';

export type SendResult =
  | { kind: 'sent'; answer: BatchAnswer }
  /** Worth trying again later: network error, 429 or 5xx. */
  | { kind: 'retry'; retryAfterMs?: number }
  /** The collector refused the batch itself (4xx); sending it again would not help. */
  | { kind: 'refused'; status: number };

/** Browsers refuse beacons above about 64 kB in flight; stay well under. */
export const BEACON_MAX_BYTES = 60_000;

const batchUrl = (endpoint: string) => `${endpoint.replace(/\/$/, '')}/v1/batch`;

/** The request body, from events serialized when they were queued (so ids never change). */
export const batchBody = (bodies: string[], sentAt: number): string =>
  `{"sent_at":"${new Date(sentAt).toISOString()}","events":[${bodies.join(',')}]}`;

/** Bodies above this are gzipped where the browser can (CompressionStream); JSON shrinks ~5x. */
export const COMPRESS_ABOVE_BYTES = 8_192;

async function gzip(body: string): Promise<ArrayBuffer | undefined> {
  if (typeof CompressionStream === 'undefined') return undefined;
  try {
    return await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  } catch {
    return undefined; // send it plain rather than not at all
  }
}

/** Posts one batch; the answer says which events the collector rejected and why. */
export async function sendBatch(endpoint: string, writeKey: string, body: string): Promise<SendResult> {
  let response: Response;
  try {
    const compressed = body.length > COMPRESS_ABOVE_BYTES ? await gzip(body) : undefined;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-write-key': writeKey };
    if (compressed) headers['content-encoding'] = 'gzip';
    const payload = compressed ?? body;
    response = await fetch(batchUrl(endpoint), {
      method: 'POST',
      headers,
      body: payload,
      // keepalive bodies are capped like beacons
      keepalive: (compressed ? compressed.byteLength : body.length) < BEACON_MAX_BYTES,
    });
  } catch {
    return { kind: 'retry' };
  }
  if (response.status === 429 || response.status >= 500) {
    return { kind: 'retry', retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
  }
  if (!response.ok) return { kind: 'refused', status: response.status };
  try {
    return { kind: 'sent', answer: (await response.json()) as BatchAnswer };
  } catch {
    return { kind: 'sent', answer: { accepted: 0, rejected: [] } }; // accepted, answer unreadable
  }
}

/**
 * Sends a batch while the page goes away. A beacon cannot set headers, so the key travels in
 * the query, and text/plain avoids a CORS preflight that would not finish. Returns whether the
 * browser took it; a refused beacon falls back to a keepalive fetch, whose outcome is unknown.
 */
export function beaconBatch(endpoint: string, writeKey: string, body: string): 'beacon' | 'keepalive' | 'failed' {
  const url = `${batchUrl(endpoint)}?write_key=${encodeURIComponent(writeKey)}`;
  try {
    if (globalThis.navigator?.sendBeacon?.(url, new Blob([body], { type: 'text/plain' }))) return 'beacon';
  } catch {
    /* fall through */
  }
  try {
    void fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body, keepalive: true }).catch(
      () => undefined,
    );
    return 'keepalive';
  } catch {
    return 'failed';
  }
}
