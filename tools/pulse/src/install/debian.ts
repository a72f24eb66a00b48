import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { PulseError } from '../console';
import { run } from '../processes';

/** A Debian package the platform runs, and the command whose presence means it is installed. */
export interface DebianPackage {
  name: string;
  command: string;
}

/**
 * Debian's packages the platform runs (Redis, Prometheus, Alertmanager), installed only when their
 * command is absent, all in one apt-get run: apt-get holds dpkg's lock, so two at once would fail.
 */
export async function installDebianPackages(packages: DebianPackage[]): Promise<{ fresh: boolean }> {
  const missing: DebianPackage[] = [];
  for (const pkg of packages) if (!(await found(pkg.command))) missing.push(pkg);
  if (missing.length === 0) return { fresh: false };
  const names = missing.map((pkg) => pkg.name);
  if (process.getuid?.() !== 0) {
    throw new PulseError(`${names.join(', ')} not installed.`, `run: sudo apt-get install -y ${names.join(' ')}`);
  }
  await run('apt-get', ['update', '-qq'], { label: 'apt-get update' });
  await withServicesNotStarted(() =>
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      label: `installing ${names.join(', ')} from Debian`,
    }),
  );
  return { fresh: true };
}

const POLICY_RC_D = '/usr/sbin/policy-rc.d';

/**
 * The packages' own services (redis-server, prometheus on 9090, ...) would start on install where
 * init scripts run, and hold the ports pulse gives its own processes: a policy-rc.d that answers
 * 101 ("action forbidden") keeps invoke-rc.d from starting them. One already there is left alone.
 */
async function withServicesNotStarted<T>(work: () => Promise<T>): Promise<T> {
  if (existsSync(POLICY_RC_D)) return work();
  writeFileSync(POLICY_RC_D, '#!/bin/sh\n# Written by pulse while it installs packages; removed after.\nexit 101\n', {
    mode: 0o755,
  });
  try {
    return await work();
  } finally {
    rmSync(POLICY_RC_D, { force: true });
  }
}

async function found(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}
