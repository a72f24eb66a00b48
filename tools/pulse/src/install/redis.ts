import { PulseError } from '../console';
import { run } from '../processes';

/** Redis comes from Debian's redis-server package; installed only when it is absent. */
export async function installRedis(): Promise<{ binary: string; fresh: boolean }> {
  if (await found('redis-server')) return { binary: 'redis-server', fresh: false };
  if (process.getuid?.() !== 0) {
    throw new PulseError('redis-server is not installed.', 'run: sudo apt-get install -y redis-server');
  }
  await run('apt-get', ['update', '-qq'], { label: 'apt-get update' });
  await run('apt-get', ['install', '-y', '-qq', 'redis-server'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    label: 'installing redis-server from Debian',
  });
  return { binary: 'redis-server', fresh: true };
}

async function found(command: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
}
