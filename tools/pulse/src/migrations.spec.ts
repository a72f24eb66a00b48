import { ConfigError } from '@social-pulse/config';
import { describe, expect, it } from 'vitest';
import { PulseError } from './console';
import { migrationCluster } from './migrations';
import { loadSettings } from './settings';

describe(migrationCluster.name, () => {
  it('should migrate one server when no cluster is named, local or not', () => {
    expect(migrationCluster('', undefined)).toBe('');
    expect(migrationCluster('', 'http://clickhouse.example:8123')).toBe('');
  });

  it('should take the cluster of the server CLICKHOUSE_URL names', () => {
    expect(migrationCluster('pulse_cluster', 'http://clickhouse-1.example:8123')).toBe('pulse_cluster');
  });

  it('should refuse a cluster on the local chDB server, which is a single server', () => {
    expect(() => migrationCluster('pulse_cluster', undefined)).toThrow(PulseError);
  });
});

describe('CLICKHOUSE_CLUSTER', () => {
  it('should default to none (one server)', () => {
    expect(loadSettings({}).CLICKHOUSE_CLUSTER).toBe('');
    expect(loadSettings({ CLICKHOUSE_CLUSTER: '' }).CLICKHOUSE_CLUSTER).toBe('');
  });

  it('should take a plain identifier', () => {
    expect(loadSettings({ CLICKHOUSE_CLUSTER: 'pulse_cluster' }).CLICKHOUSE_CLUSTER).toBe('pulse_cluster');
  });

  it.each(['pulse-cluster', '1cluster', 'c ON CLUSTER d', "c'"])('should refuse %j, naming the variable', (name) => {
    expect(() => loadSettings({ CLICKHOUSE_CLUSTER: name })).toThrow(ConfigError);
    expect(() => loadSettings({ CLICKHOUSE_CLUSTER: name })).toThrow(/CLICKHOUSE_CLUSTER=.*expected a cluster name/);
  });
});
