import { join } from 'node:path';
import { cacheDir, repoRoot } from '../paths';
import { run } from '../processes';
import { versions } from '../versions';
import { ensureInstalledDir } from './installed-dir';
import { requireCommand } from './require-command';

/** The Kafka broker's jars, resolved from Maven Central by tools/kafka/pom.xml. */
export async function installKafka(): Promise<{ libDir: string; fresh: boolean }> {
  const { version } = versions.kafka;
  const target = join(cacheDir(), `kafka-${version}`);
  const { dir, fresh } = await ensureInstalledDir(target, async (work) => {
    await requireCommand('java', ['-version'], 'Java 17 or newer runs Kafka and Flink');
    await requireCommand('mvn', ['-v'], 'Maven fetches the Kafka broker jars from Maven Central');
    await run(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        join(repoRoot, 'tools', 'kafka', 'pom.xml'),
        'dependency:copy-dependencies',
        `-Dkafka.version=${version}`,
        `-DoutputDirectory=${join(work, 'libs')}`,
      ],
      { label: `downloading Kafka ${version} from Maven Central` },
    );
  });
  return { libDir: join(dir, 'libs'), fresh };
}
