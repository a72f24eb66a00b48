import { join } from 'node:path';
import { cacheDir } from '../paths';
import { run } from '../processes';
import { versions } from '../versions';
import { ensureInstalledDir } from './installed-dir';
import { requireCommand } from './require-command';

/** The official Temporal CLI (dev server included), built with `go install` at a pinned version. */
export async function installTemporal(): Promise<{ binary: string; fresh: boolean }> {
  const { cli, goModule } = versions.temporal;
  const target = join(cacheDir(), `temporal-${cli}`);
  const { dir, fresh } = await ensureInstalledDir(target, async (work) => {
    await requireCommand('go', ['version'], 'Go builds the Temporal CLI from its module');
    await run('go', ['install', `${goModule}@${cli}`], {
      env: { ...process.env, GOBIN: work, CGO_ENABLED: '0' },
      label: `building the Temporal CLI ${cli} with go install (takes a few minutes the first time)`,
    });
  });
  return { binary: join(dir, 'temporal'), fresh };
}
