import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Fills a cache directory once: the work happens in a sibling temporary folder that is
 * renamed into place only when complete, so an interrupted install is redone, never half-used.
 */
export async function ensureInstalledDir(
  target: string,
  fill: (workDir: string) => Promise<void>,
): Promise<{ dir: string; fresh: boolean }> {
  const marker = join(target, '.complete');
  if (existsSync(marker)) return { dir: target, fresh: false };
  const workDir = `${target}.partial-${process.pid}`;
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  try {
    await fill(workDir);
    writeFileSync(join(workDir, '.complete'), new Date().toISOString());
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    renameSync(workDir, target);
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  return { dir: target, fresh: true };
}
