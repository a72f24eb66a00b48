import { spawnSync } from 'node:child_process';

/**
 * The version a binary prints for `flag`: Prometheus's tools print it on stdout or stderr
 * depending on the release, HAProxy answers `-v`.
 */
export function commandVersion(binary: string, pattern: RegExp, flag = '--version'): string {
  const result = spawnSync(binary, [flag], { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return 'not installed';
  return pattern.exec(`${result.stdout}${result.stderr}`)?.[1] ?? 'unknown';
}
