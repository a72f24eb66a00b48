import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAlertReceiver, readNotifications, type RecordedNotification } from './alert-receiver';

/** A notification as Alertmanager 0.25's webhook sends it (version 4), trimmed to what matters here. */
const webhookBody = (receiver: string, alertname: string, severity: string, status = 'firing') => ({
  version: '4',
  groupKey: `{}/{severity="${severity}"}:{alertname="${alertname}"}`,
  status,
  receiver,
  groupLabels: { alertname },
  commonLabels: { alertname, severity },
  commonAnnotations: { summary: `${alertname} summary` },
  externalURL: 'http://127.0.0.1:9193',
  alerts: [
    {
      status,
      labels: { alertname, severity },
      annotations: { summary: `${alertname} summary`, runbook: `docs/runbook.md#${alertname.toLowerCase()}` },
      startsAt: '2026-11-27T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
    },
  ],
});

describe(createAlertReceiver.name, () => {
  let dir: string;
  let server: Server;
  let base: string;
  let clock: number;
  const logger = { info: vi.fn(), warn: vi.fn() };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'alert-receiver-'));
    clock = Date.parse('2026-11-27T10:00:10Z');
    server = createAlertReceiver({ dir, logger, now: () => new Date((clock += 1000)) });
    await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolvePromise) => server.close(resolvePromise));
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const listed = async (query = '') =>
    ((await (await fetch(`${base}/alerts${query}`)).json()) as { notifications: RecordedNotification[] }).notifications;

  describe('POST /alerts/<receiver>', () => {
    it('should append each notification to its receiver’s JSON lines file', async () => {
      expect((await post('/alerts/page', webhookBody('page', 'ApiDown', 'critical'))).status).toBe(200);
      expect((await post('/alerts/ticket', webhookBody('ticket', 'WorkerDown', 'warning'))).status).toBe(200);
      expect((await post('/alerts/page', webhookBody('page', 'ApiDown', 'critical', 'resolved'))).status).toBe(200);

      const lines = readFileSync(join(dir, 'alerts-page.jsonl'), 'utf8').trim().split('\n');
      expect(lines.map((line) => JSON.parse(line) as RecordedNotification)).toMatchObject([
        { receiver: 'page', status: 'firing', receivedAt: '2026-11-27T10:00:11.000Z', alerts: [{ status: 'firing' }] },
        { receiver: 'page', status: 'resolved', alerts: [{ status: 'resolved' }] },
      ]);
      expect(readFileSync(join(dir, 'alerts-ticket.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    });

    it('should refuse a receiver name that is not a plain file name', async () => {
      expect((await post('/alerts/..%2Fetc', webhookBody('x', 'ApiDown', 'critical'))).status).toBe(400);
      expect((await post('/alerts/Page', webhookBody('x', 'ApiDown', 'critical'))).status).toBe(400);
      expect(await readNotifications(dir)).toEqual([]);
    });

    it('should refuse a body that is not a webhook notification', async () => {
      expect((await post('/alerts/page', 'not json')).status).toBe(400);
      expect((await post('/alerts/page', { alerts: 'none' })).status).toBe(400);
      expect(await readNotifications(dir)).toEqual([]);
    });
  });

  describe('GET /alerts', () => {
    it('should list every receiver’s notifications oldest first, or one receiver’s', async () => {
      await post('/alerts/page', webhookBody('page', 'ApiDown', 'critical'));
      await post('/alerts/ticket', webhookBody('ticket', 'WorkerDown', 'warning'));

      expect((await listed()).map((n) => [n.receiver, n.alerts[0].labels.alertname])).toEqual([
        ['page', 'ApiDown'],
        ['ticket', 'WorkerDown'],
      ]);
      expect((await listed('?receiver=ticket')).map((n) => n.commonLabels?.alertname)).toEqual(['WorkerDown']);
      expect(await listed('?receiver=nobody')).toEqual([]);
    });

    it('should list nothing before the first notification, with no directory yet', async () => {
      rmSync(dir, { recursive: true, force: true });
      expect(await listed()).toEqual([]);
    });
  });

  it('should answer its health check and 404 elsewhere', async () => {
    expect((await fetch(`${base}/-/healthy`)).status).toBe(200);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });
});
