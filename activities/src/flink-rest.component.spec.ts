import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlinkRest, FlinkRestError } from './flink-rest';
import { FakeFlinkRestServer } from './testing/fake-flink-rest-server';

describe(FlinkRest.name, () => {
  let flink: FakeFlinkRestServer;
  let rest: FlinkRest;

  beforeEach(async () => {
    flink = await FakeFlinkRestServer.start();
    rest = new FlinkRest(flink.url);
  });
  afterEach(() => flink.close());

  /** A server that is not Flink: answers every request with this status and raw body. */
  async function answering(status: number, body: string): Promise<{ url: string; server: Server }> {
    const server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'text/html' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  }

  describe('json', () => {
    it('should send a body as JSON with its content type, and no content type without one', async () => {
      const job = flink.addJob({ name: 'trending-topics' });

      await rest.json('POST', `/jobs/${job.jid}/stop`, { drain: false, targetDirectory: '/savepoints' });
      await rest.json('GET', `/jobs/${job.jid}`);

      const [post, get] = flink.requests;
      expect(post).toMatchObject({
        contentType: 'application/json',
        body: { drain: false, targetDirectory: '/savepoints' },
      });
      expect(get.contentType).toBeUndefined();
    });

    it("should keep the first three lines of each of Flink's errors", async () => {
      // Flink puts whole Java stack traces in `errors`; the message must stay readable in the Temporal UI.
      flink.failNext('GET', '/jobs/overview', {
        status: 500,
        errors: [
          'Internal server error.',
          '<Exception on server side:\norg.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException: Could not send message\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)>',
        ],
      });

      const error = await rest.json('GET', '/jobs/overview').catch((e: unknown) => e);

      expect(error).toBeInstanceOf(FlinkRestError);
      expect((error as FlinkRestError).message).toBe(
        'Flink GET /jobs/overview answered 500: Internal server error.; <Exception on server side: | org.apache.flink.runtime.rpc.exceptions.RecipientUnreachableException: Could not send message | \tat a.B.c(B.java:1)',
      );
      // The whole traces stay at hand for callers that look for a cause deeper down.
      expect((error as FlinkRestError).errors[1]).toContain('\tat d.E.f(E.java:2)>');
    });

    it("should quote the start of a body that is not Flink's JSON, such as a proxy's error page", async () => {
      const proxy = await answering(502, `<html><body>Bad Gateway${' '.repeat(600)}</body></html>`);
      try {
        const error = await new FlinkRest(proxy.url).json('GET', '/jobs/overview').catch((e: Error) => e);

        expect((error as Error).message).toBe(
          `Flink GET /jobs/overview answered 502: ${`<html><body>Bad Gateway${' '.repeat(600)}`.slice(0, 500)}`,
        );
      } finally {
        proxy.server.close();
      }
    });

    it('should read an empty successful answer as an empty object', async () => {
      const empty = await answering(202, '');
      try {
        expect(
          await new FlinkRest(empty.url).json('PATCH', '/jobs/0123456789abcdef0123456789abcdef?mode=cancel'),
        ).toEqual({});
      } finally {
        empty.server.close();
      }
    });
  });

  describe('uploadJar', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'flink-rest-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('should return the jar id: the last part of the path Flink stored the upload at', async () => {
      writeFileSync(join(dir, 'jobs.jar'), 'jar');

      const jarId = await rest.uploadJar(join(dir, 'jobs.jar'));

      expect([...flink.jars.keys()]).toEqual([jarId]);
      expect(jarId).toMatch(/_jobs\.jar$/);
    });

    it("should fail with Flink's refusal of a file that is not a jar", async () => {
      writeFileSync(join(dir, 'jobs.zip'), 'zip');

      await expect(rest.uploadJar(join(dir, 'jobs.zip'))).rejects.toThrow(
        new Error('Flink jar upload answered 400: Only Jar files are allowed.'),
      );
      expect(flink.jars.size).toBe(0);
    });
  });
});
