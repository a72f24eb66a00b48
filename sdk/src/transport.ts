import type { BatchAnswer, OutgoingEvent } from './types';

export type SendResult =
  | { kind: 'sent'; answer: BatchAnswer }
  /** Worth trying again later: network error, 429 or 5xx. */
  | { kind: 'retry'; afterMs?: number }
  /** The collector refused the batch itself (4xx); sending it again would not help. */
  | { kind: 'refused'; status: number };

/** Posts one batch; the answer says which events the collector rejected and why. */
export async function sendBatch(endpoint: string, writeKey: string, events: OutgoingEvent[]): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.replace(/\/$/, '')}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-write-key': writeKey },
      body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
      keepalive: true,
    });
  } catch {
    return { kind: 'retry' };
  }
  if (response.status === 202 || response.status === 200) return { kind: 'sent', answer: (await response.json()) as BatchAnswer };
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return { kind: 'retry', afterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined };
  }
  return { kind: 'refused', status: response.status };
}
