import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { formatBytes } from '@social-pulse/shared';
import { DASHBOARD_DIST_DIR } from '../dist-dir';

/** One built file and its size, as a browser downloads it and gzipped. */
export interface BuiltFile {
  name: string;
  bytes: number;
  gzipBytes: number;
}

/** What the page downloads on a visit (source maps only when developer tools ask). */
const PAGE_FILES = ['index.html', 'dashboard.js', 'dashboard.css'];

/**
 * Builds the page into dist/: the TypeScript and its chart library (uPlot) bundled and minified
 * into one script, the styles into one sheet, and the HTML shell. Returns the page's files.
 */
export async function buildDashboard(outDir: string = DASHBOARD_DIST_DIR): Promise<BuiltFile[]> {
  const root = join(__dirname, '..');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { dashboard: join(root, 'src', 'main.ts') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'iife',
    // Browsers of the last few years: fetch streams, TextDecoderStream, BigInt, ResizeObserver.
    target: ['chrome109', 'firefox115', 'safari16.4', 'edge109'],
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'src', 'index.html'), join(outDir, 'index.html'));
  return PAGE_FILES.map((name) => {
    const body = readFileSync(join(outDir, name));
    return { name, bytes: body.length, gzipBytes: gzipSync(body).length };
  });
}

/** The sizes for a person: each file, then the page as a whole. */
export function describeBuild(files: BuiltFile[]): string[] {
  const total = files.reduce((sum, f) => ({ bytes: sum.bytes + f.bytes, gzip: sum.gzip + f.gzipBytes }), {
    bytes: 0,
    gzip: 0,
  });
  return [
    ...files.map((f) => `${f.name}: ${formatBytes(f.bytes)} (${formatBytes(f.gzipBytes)} gzipped)`),
    `page total: ${formatBytes(total.bytes)} (${formatBytes(total.gzip)} gzipped)`,
  ];
}

async function run(): Promise<void> {
  const files = await buildDashboard();
  for (const line of describeBuild(files)) console.log(line);
}

if (require.main === module) {
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
