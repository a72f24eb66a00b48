import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PulseError } from '../console';
import { stateDir } from '../paths';
import { tailFile } from '../processes';

/** `pulse logs <service>`: the tail of one service's log, or of each in a group (e.g. flink). */
export async function logs(service: string, options: { lines: string; follow?: boolean }): Promise<void> {
  const logDir = join(stateDir(), 'logs');
  const available = existsSync(logDir) ? readdirSync(logDir).map((f) => f.replace(/\.log$/, '')) : [];
  const chosen = available.filter((name) => name === service || name.startsWith(`${service}-`));
  if (!chosen.length) {
    throw new PulseError(`no log for "${service}".`, `one of: ${available.join(', ') || '(none yet: run pulse up)'}`);
  }
  const files = chosen.map((name) => join(logDir, `${name}.log`));
  if (options.follow) {
    const child = spawn('tail', ['-n', options.lines, '-F', ...files], { stdio: 'inherit' });
    await new Promise((r) => child.on('exit', r));
    return;
  }
  for (const file of files) {
    if (files.length > 1) console.log(`==> ${file} <==`);
    console.log(tailFile(file, Number(options.lines)));
  }
}
