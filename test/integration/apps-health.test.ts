import { describe, expect, it } from 'vitest';
import { platform } from '@social-pulse/testing';

const httpApps = [
  { name: 'api', url: platform.apiUrl },
  { name: 'collector', url: platform.collectorUrl },
];
const apps = [...httpApps, { name: 'worker', url: platform.workerUrl }];

describe.each(apps)('$name', ({ name, url }) => {
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
});

describe.each(httpApps)('$name HTTP API', ({ url }) => {
  it('should be ready once its dependencies answer', async () => {
    const res = await fetch(`${url}/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ready' });
  });

  it('should publish its OpenAPI document', async () => {
    const res = await fetch(`${url}/docs/openapi.json`);
    expect(res.status).toBe(200);
    const document = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
  });
});
