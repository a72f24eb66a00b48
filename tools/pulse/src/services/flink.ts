import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../processes';
import type { Settings } from '../settings';
import { httpGet, httpOk } from './health';
import type { ServiceSpec } from './service';

/**
 * The throughput collector: the TaskManager's heap holds the jobs' state (a gigabyte replaying a
 * busy quarter hour), which kept G1 marking and mixing on the second core. Measured on the trending
 * job over 1.8M events: 13.4K events/s per TaskManager core with G1, 22.1K with Parallel, and the
 * same event-to-API latency with demo traffic (p95 2.9 s either way).
 */
const TASK_MANAGER_GC = ['-XX:+UseParallelGC'];

/**
 * A Flink standalone session cluster: one JobManager (REST API and Web UI) and N TaskManagers,
 * started with `java` directly so the supervisor owns each process.
 */
export function flinkServices(settings: Settings, stateDir: string, home: string, version: string): ServiceSpec[] {
  const confDir = join(stateDir, 'run', 'flink-conf');
  // Only the Prometheus reporter of the distribution's plugins: Flink loads every plugin it finds.
  const pluginsDir = join(stateDir, 'run', 'flink-plugins');
  const dataDir = join(stateDir, 'data', 'flink');
  const restUrl = `http://127.0.0.1:${settings.FLINK_REST_PORT}`;
  const classpath = `${home}/lib/*`;
  const log4j = `-Dlog4j.configurationFile=file:${join(confDir, 'log4j.properties')}`;
  const jvmBase = [...JAVA_MODULE_OPTIONS, log4j];

  const writeConfig = async () => {
    for (const dir of ['checkpoints', 'savepoints', 'uploads', 'tmp']) {
      mkdirSync(join(dataDir, dir), { recursive: true });
    }
    mkdirSync(confDir, { recursive: true });
    writeFileSync(join(confDir, 'config.yaml'), flinkConfig(settings, dataDir));
    writeFileSync(join(confDir, 'log4j.properties'), LOG4J2);
    rmSync(pluginsDir, { recursive: true, force: true });
    mkdirSync(pluginsDir, { recursive: true });
    symlinkSync(join(home, 'plugins', PROMETHEUS_PLUGIN), join(pluginsDir, PROMETHEUS_PLUGIN));
  };
  const pluginsEnv = (base: NodeJS.ProcessEnv = process.env) => ({ ...base, FLINK_PLUGINS_DIR: pluginsDir });

  /** Flink's own BashJavaUtils turns the memory settings into JVM flags and -D options. */
  const memoryArgs = async (kind: 'TM' | 'JM') => {
    const output = await run(
      'java',
      [
        '-cp',
        `${home}/bin/bash-java-utils.jar:${classpath}`,
        log4j,
        'org.apache.flink.runtime.util.bash.BashJavaUtils',
        `GET_${kind}_RESOURCE_PARAMS`,
        '--configDir',
        confDir,
      ],
      { label: `computing Flink ${kind} memory` },
    );
    const results = output
      .split('\n')
      .filter((line) => line.startsWith('BASH_JAVA_UTILS_EXEC_RESULT:'))
      .map((line) => line.slice('BASH_JAVA_UTILS_EXEC_RESULT:'.length).trim());
    if (results.length < 2) throw new Error(`unexpected BashJavaUtils output:\n${output}`);
    const [jvm, dynamic] = results;
    return { jvm: jvm.split(/\s+/), dynamic: dynamic.split(/\s+/) };
  };

  const jobManager: ServiceSpec = {
    name: 'flink-jobmanager',
    group: 'flink',
    ports: [settings.FLINK_REST_PORT, settings.FLINK_RPC_PORT, flinkMetricsPorts(settings).jobManager],
    url: restUrl,
    version,
    prepare: writeConfig,
    command: async () => {
      const memory = await memoryArgs('JM');
      return {
        command: 'java',
        args: [
          ...memory.jvm,
          ...jvmBase,
          '-cp',
          classpath,
          'org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint',
          '--configDir',
          confDir,
          ...memory.dynamic,
          ...reporterPort(flinkMetricsPorts(settings).jobManager),
        ],
        env: pluginsEnv(),
      };
    },
    healthy: () => httpOk(`${restUrl}/overview`),
    startTimeoutMs: 60_000,
    stopTimeoutMs: 15_000,
  };

  const taskManagers: ServiceSpec[] = Array.from({ length: settings.FLINK_TASKMANAGERS }, (_, i) => ({
    name: `flink-taskmanager-${i + 1}`,
    group: 'flink',
    ports: [flinkMetricsPorts(settings).taskManagers[i]],
    version,
    command: async () => {
      const memory = await memoryArgs('TM');
      return {
        command: 'java',
        args: [
          ...memory.jvm,
          ...jvmBase,
          ...TASK_MANAGER_GC,
          '-cp',
          classpath,
          'org.apache.flink.runtime.taskexecutor.TaskManagerRunner',
          '--configDir',
          confDir,
          ...memory.dynamic,
          ...reporterPort(flinkMetricsPorts(settings).taskManagers[i]),
          // Flink's REST API and Web UI name it as pulse does, not by a random port and suffix.
          '-D',
          `taskmanager.resource-id=flink-taskmanager-${i + 1}`,
        ],
        env: pluginsEnv(taskManagerEnvironment()),
      };
    },
    // Ready once the JobManager counts this TaskManager among its registered ones.
    healthy: async () => {
      const res = await httpGet(`${restUrl}/overview`);
      if (!res || res.status !== 200) return false;
      return (JSON.parse(res.body) as { taskmanagers: number }).taskmanagers >= i + 1;
    },
    startTimeoutMs: 60_000,
    stopTimeoutMs: 15_000,
  }));

  return [jobManager, ...taskManagers];
}

const PROMETHEUS_PLUGIN = 'metrics-prometheus';

/**
 * Where Flink's Prometheus reporter serves each process's metrics: the JobManager on
 * FLINK_METRICS_PORT, TaskManager i on the port + i. The processes share the host, so each gets
 * its own port (a dynamic property) rather than the first free one of the configured range:
 * Prometheus then knows which process is where.
 */
export function flinkMetricsPorts(settings: Pick<Settings, 'FLINK_METRICS_PORT' | 'FLINK_TASKMANAGERS'>) {
  const base = settings.FLINK_METRICS_PORT;
  return {
    jobManager: base,
    taskManagers: Array.from({ length: settings.FLINK_TASKMANAGERS }, (_, i) => base + i + 1),
  };
}

const reporterPort = (port: number) => ['-D', `metrics.reporter.prom.port=${port}`];

/**
 * The TaskManagers' environment. The jobs' ClickHouse sink reads its credentials there
 * (CLICKHOUSE_USER, CLICKHOUSE_PASSWORD), never from its program arguments, which Flink shows; when
 * only CLICKHOUSE_URL carries them (user:password@), they are taken from it.
 */
export function taskManagerEnvironment(source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = { ...source };
  let url: URL | undefined;
  try {
    url = source.CLICKHOUSE_URL ? new URL(source.CLICKHOUSE_URL) : undefined;
  } catch {
    url = undefined; // the apps' own config check reports a bad URL
  }
  if (url?.username && env.CLICKHOUSE_USER === undefined) env.CLICKHOUSE_USER = decodeURIComponent(url.username);
  if (url?.password && env.CLICKHOUSE_PASSWORD === undefined) {
    env.CLICKHOUSE_PASSWORD = decodeURIComponent(url.password);
  }
  return env;
}

function flinkConfig(settings: Settings, dataDir: string): string {
  const metricsPorts = flinkMetricsPorts(settings);
  return `# Written by pulse on each start; change the environment (FLINK_*) instead.
jobmanager:
  rpc: { address: 127.0.0.1, port: ${settings.FLINK_RPC_PORT} }
  bind-host: 127.0.0.1
  memory: { process: { size: ${settings.FLINK_JOBMANAGER_MEMORY} } }
taskmanager:
  bind-host: 127.0.0.1
  host: 127.0.0.1
  numberOfTaskSlots: ${settings.FLINK_TASK_SLOTS}
  # The jobs keep state on the heap (hashmap backend), which uses no managed memory: Flink's
  # default of 40% for it would leave the state about 300 MB of a 1536m TaskManager. Trending's
  # 15-minute horizon holds its authors per topic: replaying a 1.8M-event quarter hour took more
  # than the 720 MB heap of 1536m, hence 3072m.
  memory: { process: { size: ${settings.FLINK_TASKMANAGER_MEMORY} }, managed: { fraction: 0.0 } }
  # A job's slots on the TaskManager with the most free ones: with two TaskManagers the jobs
  # share both, rather than filling the first while the second idles.
  load-balance: { mode: SLOTS }
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: ${settings.FLINK_REST_PORT}
parallelism: { default: 1 }
state: { backend: { type: hashmap } }
execution:
  checkpointing:
    dir: file://${join(dataDir, 'checkpoints')}
    savepoint-dir: file://${join(dataDir, 'savepoints')}
web:
  upload: { dir: ${join(dataDir, 'uploads')} }
# Each process's own port in the range is set on its command line (see flinkMetricsPorts).
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: ${metricsPorts.jobManager}-${metricsPorts.taskManagers.at(-1) ?? metricsPorts.jobManager}
io:
  tmp: { dirs: ${join(dataDir, 'tmp')} }
`;
}

/**
 * Flink's launch scripts open these JDK modules to its reflection (Kryo, the DataStream V2
 * translators); starting the JVMs directly, pulse must pass them itself.
 */
const JAVA_MODULE_OPTIONS = [
  ...[
    'java.base/sun.net.util',
    'java.rmi/sun.rmi.registry',
    'jdk.compiler/com.sun.tools.javac.api',
    'jdk.compiler/com.sun.tools.javac.file',
    'jdk.compiler/com.sun.tools.javac.parser',
    'jdk.compiler/com.sun.tools.javac.tree',
    'jdk.compiler/com.sun.tools.javac.util',
    'java.security.jgss/sun.security.krb5',
  ].map((pkg) => `--add-exports=${pkg}=ALL-UNNAMED`),
  ...[
    'java.lang',
    'java.net',
    'java.io',
    'java.nio',
    'sun.nio.ch',
    'java.lang.reflect',
    'java.text',
    'java.time',
    'java.util',
    'java.util.concurrent',
    'java.util.concurrent.atomic',
    'java.util.concurrent.locks',
  ].map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`),
];

const LOG4J2 = `rootLogger.level = INFO
rootLogger.appenderRef.console.ref = Console
appender.console.name = Console
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5level %-40c{1.} - %m%n
logger.pekko.name = org.apache.pekko
logger.pekko.level = WARN
logger.kafka.name = org.apache.kafka
logger.kafka.level = WARN
`;
