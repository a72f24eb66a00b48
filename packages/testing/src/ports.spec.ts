import { describe, expect, it } from 'vitest';
import { loadSettings } from '@social-pulse/pulse/testing';
import { ephemeralPortStart, freePort, portRunLength } from './ports';

describe(freePort.name, () => {
  it('should choose listening ports below the range outgoing connections take theirs from', async () => {
    const start = ephemeralPortStart();
    for (let i = 0; i < 20; i++) {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(start);
    }
  });

  it("should read the start of Linux's ephemeral range, and fall back to IANA's", () => {
    expect(ephemeralPortStart(() => '32768\t60999\n')).toBe(32_768);
    expect(ephemeralPortStart(() => '40000 65000')).toBe(40_000);
    expect(ephemeralPortStart(() => 'garbage')).toBe(32_768);
    expect(
      ephemeralPortStart(() => {
        throw new Error('no /proc');
      }),
    ).toBe(32_768);
  });
});

describe(portRunLength.name, () => {
  it('should give the settings that count up from a base port a run of ports each', () => {
    const settings = loadSettings({ KAFKA_BROKER_COUNT: '3', FLINK_TASKMANAGERS: '2', COLLECTOR_REPLICAS: '2' });
    expect(portRunLength('KAFKA_PORT', settings)).toBe(6);
    expect(portRunLength('KAFKA_METRICS_PORT', settings)).toBe(3);
    expect(portRunLength('FLINK_METRICS_PORT', settings)).toBe(3);
    expect(portRunLength('COLLECTOR_REPLICA_PORT', settings)).toBe(2);
    expect(portRunLength('COLLECTOR_PORT', settings)).toBe(1);
    expect(portRunLength('PROMETHEUS_PORT', settings)).toBe(1);
  });
});
