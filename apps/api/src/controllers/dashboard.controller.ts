import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Controller, Get, Headers, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DASHBOARD_FILES } from '@social-pulse/dashboard/dist-dir';
import type { FastifyReply } from 'fastify';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The page may load only its own script and style and talk only to this API: no inline script, so
 * an injected topic name (user-written hashtags) could not run even if it reached the markup.
 */
const PAGE_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The directory the page is served from: the dashboard's dist/ (DASHBOARD_DIST_DIR), a test's own in tests. */
export const DASHBOARD_DIR = Symbol('DASHBOARD_DIR');

interface StaticFile {
  mtimeMs: number;
  body: Buffer;
  etag: string;
}

/**
 * The dashboard page (apps/dashboard, built into its dist/), served at /dashboard without a key:
 * the page holds no data; it asks for the key and sends it with every read. Files are revalidated
 * on each load (ETag, 304), so a rebuilt page is picked up without restarting the API.
 */
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  private readonly files = new Map<string, StaticFile>();

  constructor(@Inject(DASHBOARD_DIR) private readonly distDir: string) {}

  @Get()
  async page(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.send('index.html', ifNoneMatch, reply);
  }

  @Get(':file')
  async asset(
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (file === 'index.html' || !DASHBOARD_FILES.includes(file)) throw new NotFoundException(`no file ${file}`);
    await this.send(file, ifNoneMatch, reply);
  }

  private async send(name: string, ifNoneMatch: string | undefined, reply: FastifyReply): Promise<void> {
    const file = await this.read(name);
    if (!file) {
      if (name !== 'index.html') throw new NotFoundException(`no file ${name}`);
      void reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The dashboard is not built: run `npm run build -w @social-pulse/dashboard` ' +
            '(`npm start` and `pulse up` build it).\n',
        );
      return;
    }
    void reply
      .header('content-type', CONTENT_TYPES[extname(name)] ?? 'application/octet-stream')
      .header('cache-control', 'no-cache')
      .header('etag', file.etag)
      .header('x-content-type-options', 'nosniff');
    if (name === 'index.html') {
      void reply.header('content-security-policy', PAGE_POLICY).header('referrer-policy', 'no-referrer');
    }
    if (ifNoneMatch === file.etag) {
      void reply.code(304).send();
      return;
    }
    void reply.send(file.body);
  }

  /** The file as built, re-read when its modification time changed; undefined when it is not there. */
  private async read(name: string): Promise<StaticFile | undefined> {
    const path = join(this.distDir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = this.files.get(name);
    if (cached?.mtimeMs === info.mtimeMs) return cached;
    const body = await readFile(path);
    const file = { mtimeMs: info.mtimeMs, body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    this.files.set(name, file);
    return file;
  }
}
