import { describe, expect, it } from 'vitest';
import { loadSettings } from '../settings';
import { appServices } from './apps';
import {
  collectorInstances,
  collectorLbServices,
  parseCollectorStates,
  renderHaproxyConfig,
  trustsLoopback,
} from './collector-lb';

const TWO = [
  { name: 'collector-1', port: 18090 },
  { name: 'collector-2', port: 18091 },
];

describe(collectorInstances.name, () => {
  it('should keep one collector on COLLECTOR_PORT', () => {
    expect(collectorInstances(loadSettings({ COLLECTOR_PORT: '18080' }))).toEqual([{ name: 'collector', port: 18080 }]);
  });

  it('should put replica i on COLLECTOR_REPLICA_PORT + i - 1, leaving COLLECTOR_PORT to the load balancer', () => {
    const settings = loadSettings({
      COLLECTOR_PORT: '18080',
      COLLECTOR_REPLICAS: '2',
      COLLECTOR_REPLICA_PORT: '18090',
    });
    expect(collectorInstances(settings)).toEqual(TWO);
  });
});

describe(renderHaproxyConfig.name, () => {
  const config = (forwardFor: boolean) =>
    renderHaproxyConfig({ port: 18080, metricsPort: 18404, collectors: TWO, forwardFor });

  it('should balance round robin over every collector, each checked on /health', () => {
    expect(config(false)).toContain('bind 127.0.0.1:18080');
    expect(config(false)).toContain('balance roundrobin');
    expect(config(false)).toContain('http-check send meth GET uri /health');
    expect(config(false)).toMatch(
      / {2}server collector-1 127\.0\.0\.1:18090\n {2}server collector-2 127\.0\.0\.1:18091\n/,
    );
    expect(config(false)).toMatch(/default-server check /);
  });

  it('should send a request a collector dropped to another collector, and never one it answered or timed out', () => {
    const retryOn = /retry-on (.*)/.exec(config(false))?.[1].split(' ');
    expect(retryOn).toEqual(['conn-failure', 'empty-response', 'junk-response']);
    expect(config(false)).toContain('option redispatch 1');
    expect(config(false)).toContain('option http-buffer-request');
  });

  it('should add X-Forwarded-For only for collectors that believe it', () => {
    expect(config(true)).toContain('option forwardfor');
    expect(config(false)).not.toContain('forwardfor');
  });

  it("should serve HAProxy's Prometheus exporter on the metrics port", () => {
    expect(config(false)).toMatch(/bind 127\.0\.0\.1:18404\n.*use-service prometheus-exporter if \{ path \/metrics \}/);
  });
});

describe(trustsLoopback.name, () => {
  it('should read TRUSTED_PROXIES as the collector does: addresses and CIDRs, comma-separated', () => {
    expect(trustsLoopback('127.0.0.1,::1')).toBe(true);
    expect(trustsLoopback('10.0.0.0/8, 127.0.0.0/8')).toBe(true);
    expect(trustsLoopback('10.0.0.0/8')).toBe(false);
    expect(trustsLoopback('')).toBe(false);
    expect(trustsLoopback(undefined)).toBe(false);
  });
});

describe(collectorLbServices.name, () => {
  it('should run no load balancer in front of a single collector', () => {
    expect(collectorLbServices(loadSettings({}), '/tmp/pulse', 'haproxy', { forwardFor: false })).toEqual([]);
  });

  it('should take COLLECTOR_PORT and the metrics port, with a collector service per replica', () => {
    const settings = loadSettings({ COLLECTOR_REPLICAS: '3', COLLECTOR_REPLICA_PORT: '18090' });
    const [lb] = collectorLbServices(settings, '/tmp/pulse', 'haproxy', { forwardFor: false });
    expect(lb.name).toBe('collector-lb');
    expect(lb.ports).toEqual([settings.COLLECTOR_PORT, settings.COLLECTOR_LB_METRICS_PORT]);
    const collectors = appServices(settings, {}).filter((s) => s.group === 'collector');
    expect(collectors.map((s) => [s.name, s.ports])).toEqual([
      ['collector-1', [18090]],
      ['collector-2', [18091]],
      ['collector-3', [18092]],
    ]);
  });

  it('should tell each replica its own port', async () => {
    const settings = loadSettings({ COLLECTOR_REPLICAS: '2', COLLECTOR_REPLICA_PORT: '18090' });
    const collectors = appServices(settings, { COLLECTOR_PORT: '8080' }).filter((s) => s.group === 'collector');
    const ports = await Promise.all(collectors.map(async (s) => (await s.command()).env?.COLLECTOR_PORT));
    expect(ports).toEqual(['18090', '18091']);
  });
});

describe(parseCollectorStates.name, () => {
  it("should read each collector's state from HAProxy's CSV statistics", () => {
    const csv = [
      '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight',
      'collector,FRONTEND,,,0,1,2000,5,,,,,,,,,,OPEN,',
      'collectors,collector-1,0,0,0,1,,3,,,,,,0,0,0,0,UP,1',
      'collectors,collector-2,0,0,0,1,,2,,,,,,0,0,0,0,DOWN 1/2,1',
      'collectors,BACKEND,0,0,0,1,200,5,,,,,,0,0,0,0,UP,2',
      '',
    ].join('\n');
    expect(parseCollectorStates(csv)).toEqual({ 'collector-1': 'UP', 'collector-2': 'DOWN 1/2' });
  });
});
