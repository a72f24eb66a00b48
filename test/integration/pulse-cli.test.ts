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

  it('should show every service healthy with pid, port and version in status', () => {
    const { code, out } = pulse(['status']);
    expect(code).toBe(0);
    for (const service of [
      'redis',
      'kafka',
      'temporal',
      'flink-jobmanager',
      'flink-taskmanager-1',
      'worker',
      'collector',
      'api',
    ]) {
      expect(out).toMatch(new RegExp(`^${service}\\s+healthy\\s+\\d+\\s`, 'm'));
    }
    const [broker] = platform.kafkaNodes;
    expect(out).toMatch(
      new RegExp(`^kafka\\s+healthy\\s+\\d+\\s+${broker.port},${broker.controllerPort}\\s+3\\.9\\.1`, 'm'),
    );
    // The local ClickHouse (chDB server) runs unless CLICKHOUSE_URL points at another server; it shows the engine's version.
    if (platform.localClickhouse)
      expect(out).toMatch(
        new RegExp(`^clickhouse\\s+healthy\\s+\\d+\\s+${platform.settings.CLICKHOUSE_PORT}\\s+\\d+\\.\\d+\\.\\d+`, 'm'),
      );
  });

  it('should say it is already running instead of starting twice', () => {
    const { code, out } = pulse(['up', '--detach']);
    expect(code).toBe(0);
    expect(out).toContain('already running');
  });

  it('should print the tail of a service log', () => {
    const { code, out } = pulse(['logs', 'kafka', '-n', '5']);
    expect(code).toBe(0);
    expect(out.trim().split('\n').length).toBeLessThanOrEqual(5);
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
