import { request } from 'node:http';
import { createConnection } from 'node:net';

/** GET a URL on this machine; resolves with status and body, or undefined when unreachable. */
export function httpGet(url: string, timeoutMs = 2000): Promise<{ status: number; body: string } | undefined> {
  return new Promise((resolvePromise) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(undefined));
    req.end();
  });
}

export async function httpOk(url: string): Promise<boolean> {
  const res = await httpGet(url);
  return res !== undefined && res.status >= 200 && res.status < 300;
}

/** Sends an inline command to a Redis-protocol server and checks the first reply line. */
export function redisPing(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = createConnection({ port, host });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolvePromise(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}
