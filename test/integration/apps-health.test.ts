import { describe, expect, it } from 'vitest';
import { platform } from './platform';

const apps = [
  { name: 'api', url: platform.apiUrl, ready: true, docs: true },
  { name: 'collector', url: platform.collectorUrl, ready: true, docs: true },
  { name: 'worker', url: platform.workerUrl, ready: false, docs: false },
];

describe.each(apps)('$name', ({ name, url, ready, docs }) => {
  it('should answer its health endpoint', async () => {
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', service: name });
  });

  it('should expose Prometheus metrics labelled with the service', async () => {
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain(`process_cpu_user_seconds_total{service="${name}"}`);
  });

  it.runIf(ready)('should be ready once its dependencies answer', async () => {
    const res = await fetch(`${url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
  });

  it.runIf(docs)('should publish its OpenAPI document', async () => {
    const res = await fetch(`${url}/docs/openapi.json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
  });
});
