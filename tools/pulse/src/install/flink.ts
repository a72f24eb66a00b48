import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../paths';
import { run } from '../processes';
import { versions } from '../versions';
import { ensureInstalledDir } from './installed-dir';
import { requireCommand } from './require-command';

/**
 * A Flink distribution (lib/, opt/, plugins/ and the BashJavaUtils jar). Maven Central does
 * not serve flink-dist, but PyFlink's `apache-flink-libraries` source package on PyPI holds a
 * complete one; pip only downloads it here, nothing of PyFlink is installed.
 */
export async function installFlink(): Promise<{ home: string; fresh: boolean }> {
  const { version, pypiDistribution } = versions.flink;
  const target = join(cacheDir(), `flink-${version}`);
  const { dir, fresh } = await ensureInstalledDir(target, async (work) => {
    await requireCommand('python3', ['-m', 'pip', '--version'], 'pip downloads the Flink distribution from PyPI');
    await requireCommand('tar', ['--version'], 'tar unpacks the Flink distribution');
    const download = join(work, 'download');
    await run(
      'python3',
      [
        '-m',
        'pip',
        'download',
        '--no-deps',
        '--no-binary',
        ':all:',
        '--disable-pip-version-check',
        '-d',
        download,
        `${pypiDistribution}==${version}`,
      ],
      { label: `downloading Flink ${version} (${pypiDistribution} from PyPI)` },
    );
    const archive = readdirSync(download).find((name) => name.endsWith('.tar.gz'));
    if (!archive) throw new Error(`pip left no source archive of ${pypiDistribution} in ${download}`);
    // The archive's deps/ folder is the distribution: unpack it as the Flink home.
    await run(
      'tar',
      [
        '-xzf',
        join(download, archive),
        '-C',
        work,
        '--strip-components=2',
        '--wildcards',
        '*/deps/lib',
        '*/deps/opt',
        '*/deps/plugins',
        '*/deps/bin',
      ],
      { label: 'unpacking Flink' },
    );
    await run('rm', ['-rf', download]);
  });
  return { home: dir, fresh };
}
