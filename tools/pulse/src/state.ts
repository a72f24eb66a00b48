import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeIdentity } from './code-identity';

/** What a running `pulse up` has started, for `pulse status`, `pulse down` and the tests. */
export interface PlatformState {
  supervisorPid: number;
  status: 'starting' | 'ready' | 'stopping' | 'failed';
  startedAt: string;
  /** The code it was started from; tests reuse a platform only when it matches theirs. */
  code?: CodeIdentity;
  /** The checkout that started it. */
  repoRoot?: string;
  message?: string;
  services: Record<
    string,
    { pid: number; startTicks?: number; group: string; ports: number[]; url?: string; version: string; log: string }
  >;
}

const stateFile = (stateDir: string) => join(stateDir, 'run', 'state.json');

export function readState(stateDir: string): PlatformState | undefined {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PlatformState;
  } catch {
    return undefined;
  }
}

/** Written through a rename so a reader never sees half a file. */
export function writeState(stateDir: string, state: PlatformState): void {
  mkdirSync(join(stateDir, 'run'), { recursive: true });
  const file = stateFile(stateDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function clearState(stateDir: string): void {
  rmSync(stateFile(stateDir), { force: true });
}
