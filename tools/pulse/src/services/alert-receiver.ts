import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Logger } from '@social-pulse/observability';

/**
 * The platform's stand-in for a pager and a ticket queue: Alertmanager's webhooks
 * (monitoring/alertmanager.yml) post here, one path per receiver, and each notification is kept
 * as a JSON line in `alerts-<receiver>.jsonl`, so a person reads what would have paged and tests
 * read it back on GET /alerts.
 *
 *   POST /alerts/<receiver>   Alertmanager's webhook body (version 4); 200 once it is on disk
 *   GET  /alerts              every notification kept, oldest first; ?receiver=page for one receiver
 *   GET  /-/healthy           200
 */

/** Beside Alertmanager's 9193; `pulse up` reads ALERT_RECEIVER_PORT (settings.ts). */
export const ALERT_RECEIVER_DEFAULT_PORT = 9194;

/** A receiver's name becomes a file name: lower case letters, digits and dashes only. */
const RECEIVER_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const FILE_NAME = /^alerts-([a-z][a-z0-9-]{0,62})\.jsonl$/;
/** Alertmanager sends every alert of a group in one body; a thousand alerts fit well within this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** One alert of a webhook notification, as Alertmanager sends it. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  fingerprint?: string;
}

/** A notification as kept: Alertmanager's body, the receiver of the path it came to, and when. */
export interface RecordedNotification {
  receivedAt: string;
  receiver: string;
  status: 'firing' | 'resolved';
  groupKey?: string;
  groupLabels?: Record<string, string>;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  externalURL?: string;
  alerts: WebhookAlert[];
}

export interface AlertReceiverOptions {
  /** Where the alerts-<receiver>.jsonl files are written. */
  dir: string;
  logger: Pick<Logger, 'info' | 'warn'>;
  now?: () => Date;
}

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The receiver's HTTP server, not yet listening. */
export function createAlertReceiver(options: AlertReceiverOptions): Server {
  const now = options.now ?? (() => new Date());
  return createServer((req, res) => {
    handle(req, options, now)
      .then((body) => reply(res, 200, body))
      .catch((error: unknown) => {
        const status = error instanceof RequestError ? error.status : 500;
        if (status === 500) options.logger.warn({ error: (error as Error).message }, 'alert receiver failed');
        reply(res, status, { error: (error as Error).message });
      });
  });
}

async function handle(req: IncomingMessage, options: AlertReceiverOptions, now: () => Date): Promise<unknown> {
  const url = new URL(req.url ?? '/', 'http://receiver');
  if (req.method === 'GET' && url.pathname === '/-/healthy') return { status: 'ok' };
  if (req.method === 'GET' && url.pathname === '/alerts') {
    const receiver = url.searchParams.get('receiver') ?? undefined;
    if (receiver !== undefined && !RECEIVER_NAME.test(receiver)) throw new RequestError(400, 'bad receiver name');
    return { notifications: await readNotifications(options.dir, receiver) };
  }
  const posted = /^\/alerts\/([^/]+)$/.exec(url.pathname);
  if (req.method === 'POST' && posted) {
    const receiver = posted[1];
    if (!RECEIVER_NAME.test(receiver)) throw new RequestError(400, 'bad receiver name');
    const notification = toRecorded(receiver, await readJson(req), now());
    await mkdir(options.dir, { recursive: true });
    // One write per line: appends of this size land whole, even with two receivers posting.
    await appendFile(join(options.dir, `alerts-${receiver}.jsonl`), `${JSON.stringify(notification)}\n`);
    options.logger.info(
      { receiver, status: notification.status, alerts: notification.alerts.map((a) => a.labels.alertname) },
      'notification received',
    );
    return {};
  }
  throw new RequestError(404, 'POST /alerts/<receiver>, GET /alerts or GET /-/healthy');
}

function toRecorded(receiver: string, body: unknown, receivedAt: Date): RecordedNotification {
  const webhook = body as Partial<RecordedNotification> | null;
  if (!webhook || typeof webhook !== 'object' || !Array.isArray(webhook.alerts)) {
    throw new RequestError(400, "expected Alertmanager's webhook body: an object with `alerts`");
  }
  return {
    receivedAt: receivedAt.toISOString(),
    receiver,
    status: webhook.status === 'resolved' ? 'resolved' : 'firing',
    groupKey: webhook.groupKey,
    groupLabels: webhook.groupLabels,
    commonLabels: webhook.commonLabels,
    commonAnnotations: webhook.commonAnnotations,
    externalURL: webhook.externalURL,
    alerts: webhook.alerts,
  };
}

/** Every notification of the receiver's file (or of all receivers' files), oldest first. */
export async function readNotifications(dir: string, receiver?: string): Promise<RecordedNotification[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => {
      const match = FILE_NAME.exec(file);
      return match !== null && (receiver === undefined || match[1] === receiver);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const notifications: RecordedNotification[] = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim()) notifications.push(JSON.parse(line) as RecordedNotification);
    }
  }
  // ISO timestamps of one clock sort as strings; the sort is stable within a file.
  return notifications.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // An oversized body is read to its end and dropped, so the 413 reaches the sender.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(new RequestError(413, `body over ${MAX_BODY_BYTES} bytes`));
        return;
      }
      try {
        resolvePromise(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new RequestError(400, 'body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
