import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** What the platform runs: the apps, their packages, the jobs, migrations and pinned versions. */
export const PLATFORM_CODE_PATHS = [
  'apps',
  'packages',
  'activities',
  'workflows',
  'tools/pulse',
  'tools/chdb-server',
  'flink/src/main',
  'flink/pom.xml',
  'clickhouse',
  'versions.json',
  'package-lock.json',
];

export interface CodeIdentity {
  /** The checked-out commit, for messages; `unknown` outside git. */
  commit: string;
  /** Hash of the platform's code as it is on disk: committed trees plus uncommitted changes. */
  hash: string;
}

/**
 * Which code a platform was started from, so tests reuse a running platform only when it runs
 * this checkout's code. A commit that touches only tests or docs keeps the hash.
 */
export function codeIdentity(root: string = repoRoot): CodeIdentity {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  try {
    const commit = git('rev-parse', 'HEAD').trim();
    const hash = createHash('sha256');
    hash.update(git('ls-tree', 'HEAD', '--', ...PLATFORM_CODE_PATHS));
    hash.update(git('diff', 'HEAD', '--binary', '--', ...PLATFORM_CODE_PATHS));
    const untracked = git('ls-files', '--others', '--exclude-standard', '-z', '--', ...PLATFORM_CODE_PATHS)
      .split('\0')
      .filter(Boolean)
      .sort();
    for (const file of untracked) hash.update(file).update(readFileSync(join(root, file)));
    return { commit, hash: hash.digest('hex').slice(0, 16) };
  } catch {
    return { commit: 'unknown', hash: 'unknown' };
  }
}
