import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMPRESS_ABOVE_BYTES, sendBatch } from './transport';

/** Captures the request the SDK would send; the collector side is tested against the real one. */
function captureFetch() {
  const requests: { headers: Record<string, string>; body: Uint8Array | string }[] = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const body = typeof init.body === 'string' ? init.body : new Uint8Array(init.body as ArrayBuffer);
    requests.push({ headers: init.headers as Record<string, string>, body });
    return new Response(JSON.stringify({ accepted: 1, rejected: [] }), { status: 202 });
  });
  return requests;
}

describe(sendBatch.name, () => {
  afterEach(() => vi.unstubAllGlobals());

  it('should send a small batch as plain JSON', async () => {
    const requests = captureFetch();
    await sendBatch('http://collector', 'key', '{"events":[]}');
    expect(requests[0].headers['content-encoding']).toBeUndefined();
    expect(requests[0].body).toBe('{"events":[]}');
  });

  it('should gzip a batch above the threshold', async () => {
    const requests = captureFetch();
    const body = JSON.stringify({
      events: Array.from({ length: 200 }, (_, i) => ({ event_id: `e-${i}`, text: 'x'.repeat(50) })),
    });
    expect(body.length).toBeGreaterThan(COMPRESS_ABOVE_BYTES);
    await sendBatch('http://collector', 'key', body);
    expect(requests[0].headers['content-encoding']).toBe('gzip');
    const sent = requests[0].body as Uint8Array;
    expect(sent.byteLength).toBeLessThan(body.length / 4);
    expect(gunzipSync(sent).toString()).toBe(body);
  });
});
