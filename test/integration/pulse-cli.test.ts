import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir, versions } from '@social-pulse/pulse/testing';
import { platform, runPulse } from '@social-pulse/testing';
import { describe, expect, it } from 'vitest';

const pulse = (args: string[], env: NodeJS.ProcessEnv = {}) => runPulse(args, { env });

describe('pulse CLI', () => {
  it('should list its commands in --help', () => {
    const { code, out } = pulse(['--help']);
    expect(code).toBe(0);
    for (const command of ['up', 'down', 'status', 'logs', 'install'])
      expect(out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  /** The Kafka services as `pulse up` names them: `kafka` alone, or `kafka-<node id>` for each broker. */
  const kafkaServices = platform.kafkaNodes.map((node) => ({
    ...node,
    name: platform.kafkaNodes.length === 1 ? 'kafka' : `kafka-${node.nodeId}`,
  }));
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it('should show every service healthy with pid, port and version in status', () => {
    const { code, out } = pulse(['status']);
    expect(code).toBe(0);
    for (const service of [
      'redis',
      'temporal',
      'flink-jobmanager',
      'flink-taskmanager-1',
      'worker',
      'collector',
      'api',
      'prometheus',
      'alertmanager',
    ]) {
      expect(out).toMatch(new RegExp(`^${service}\\s+healthy\\s+\\d+\\s`, 'm'));
    }
    // Each broker with its own port, its controller's and its metrics', as the settings place them, and Kafka's version.
    for (const broker of kafkaServices)
      expect(out).toMatch(
        new RegExp(
          `^${broker.name}\\s+healthy\\s+\\d+\\s+${broker.port},${broker.controllerPort},${broker.metricsPort}\\s+${escape(versions.kafka.version)}\\s`,
          'm',
        ),
      );
    // The local ClickHouse (chDB server) runs, showing the engine's version, unless CLICKHOUSE_URL
    // names a server of its own: then `pulse up` starts none and status lists none.
    const clickhouse = new RegExp(
      `^clickhouse\\s+healthy\\s+\\d+\\s+${platform.settings.CLICKHOUSE_PORT}\\s+\\d+\\.\\d+\\.\\d+`,
      'm',
    );
    if (platform.localClickhouse) expect(out).toMatch(clickhouse);
    else expect(out).not.toMatch(/^clickhouse\s/m);
  });

  it('should say it is already running instead of starting twice', () => {
    const { code, out } = pulse(['up', '--detach']);
    expect(code).toBe(0);
    expect(out).toContain('already running');
  });

  it('should print the tail of a service log', () => {
    const [broker] = kafkaServices;
    const { code, stdout } = pulse(['logs', broker.name, '-n', '5']);
    expect(code).toBe(0);
    const printed = stdout.trimEnd().split('\n');
    // Kafka has logged far more than five lines since it started: exactly the last five, as they
    // stand in its log (read after the command; the log only grows, so they are still in it, in order).
    expect(printed, stdout).toHaveLength(5);
    const log = readFileSync(join(stateDir(), 'logs', `${broker.name}.log`), 'utf8');
    expect(log).toContain(printed.join('\n'));
  });

  it('should name the known services when asked for an unknown log', () => {
    const { code, out } = pulse(['logs', 'nosuch']);
    expect(code).toBe(1);
    expect(out).toContain('no log for "nosuch"');
    expect(out).toContain('kafka');
  });

  it('should stop with a message naming a bad setting', () => {
    const { code, out } = pulse(['status'], { KAFKA_BROKER_COUNT: 'three', REDIS_PORT: '70000' });
    expect(code).toBe(1);
    expect(out).toContain('KAFKA_BROKER_COUNT="three"');
    expect(out).toContain('REDIS_PORT="70000"');
  });
});
