import { join } from 'node:path';
import { cacheDir } from '../paths';
import { run } from '../processes';
import { versions } from '../versions';
import { ensureInstalledDir } from './installed-dir';
import { requireCommand } from './require-command';

/**
 * The Prometheus JMX agent that each Kafka broker loads (-javaagent) to serve its MBeans as
 * Prometheus metrics; one jar from Maven Central, copied by Maven into the cache.
 */
export async function installKafkaMetricsAgent(): Promise<{ jar: string; fresh: boolean }> {
  const { groupId, artifactId, version } = versions.jmxPrometheusAgent;
  const target = join(cacheDir(), `jmx-prometheus-javaagent-${version}`);
  const { dir, fresh } = await ensureInstalledDir(target, async (work) => {
    await requireCommand('mvn', ['-v'], 'Maven fetches the JMX Prometheus agent from Maven Central');
    await run(
      'mvn',
      [
        '-B',
        '-q',
        'dependency:copy',
        `-Dartifact=${groupId}:${artifactId}:${version}`,
        `-DoutputDirectory=${work}`,
        '-Dmdep.stripVersion=true',
      ],
      { cwd: work, label: `downloading the JMX Prometheus agent ${version} from Maven Central` },
    );
  });
  return { jar: kafkaMetricsAgentJar(dir), fresh };
}

export const kafkaMetricsAgentJar = (
  dir: string = join(cacheDir(), `jmx-prometheus-javaagent-${versions.jmxPrometheusAgent.version}`),
) => join(dir, `${versions.jmxPrometheusAgent.artifactId}.jar`);
