import { build, type BuildOptions } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Builds the SDK: an ES module, a browser script (global `SocialPulse`), types; prints sizes. */
async function run(): Promise<void> {
  const root = join(__dirname, '..');
  const common: BuildOptions = {
    entryPoints: [join(root, 'src', 'index.ts')],
    bundle: true,
    minify: true,
    target: 'es2019',
    sourcemap: true,
  };
  await build({ ...common, format: 'esm', outfile: join(root, 'dist', 'social-pulse.mjs') });
  await build({
    ...common,
    format: 'iife',
    globalName: 'SocialPulse',
    outfile: join(root, 'dist', 'social-pulse.iife.js'),
  });
  execFileSync(
    process.execPath,
    [
      require.resolve('typescript/bin/tsc'),
      '--declaration',
      '--emitDeclarationOnly',
      '--skipLibCheck',
      '--target',
      'es2019',
      '--moduleResolution',
      'node',
      '--lib',
      'es2019,dom',
      '--outDir',
      join(root, 'dist'),
      join(root, 'src', 'index.ts'),
    ],
    { stdio: 'inherit' },
  );
  for (const file of ['social-pulse.mjs', 'social-pulse.iife.js']) {
    const bytes = readFileSync(join(root, 'dist', file));
    console.log(
      `${file}: ${(bytes.length / 1024).toFixed(1)} kB, ${(gzipSync(bytes).length / 1024).toFixed(1)} kB gzipped`,
    );
  }
}

run().catch((error) => {
  console.error(error);
  process.exit(1);
});
