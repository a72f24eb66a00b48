import { FlinkRest } from '@social-pulse/activities';
import type { PulseRun } from '@social-pulse/testing';
import { expect } from 'vitest';

/** The short-window CanaryEventUnseen (unseen over 10 s for 4 s) instead of the production rules. */
export const SHORT_RULES = 'test-rules/canary-short.rules.yml';
const ALERT = 'CanaryEventUnseen';

/** What the wiring check needs of a platform: its addresses, and pulse run against it. */
export interface CanaryPlatform {
  prometheusUrl: string;
  alertmanagerUrl: string;
  flinkRestUrl: string;
  apiUrl: string;
  pulse: (...args: string[]) => PulseRun;
}

/** A Prometheus query's samples as numbers (NaN of an empty histogram included). */
async function promQuery(platform: CanaryPlatform, query: string): Promise<number[]> {
  const url = `${platform.prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`;
  const body = (await (await fetch(url)).json()) as { data: { result: { value: [number, string] }[] } };
  return body.data.result.map((sample) => Number(sample.value[1]));
}

/** Alertmanager's active alerts of the canary for trending (a resolved one ends in the past). */
async function activeCanaryAlerts(platform: CanaryPlatform): Promise<{ endsAt: string }[]> {
  const alerts = (await (await fetch(`${platform.alertmanagerUrl}/api/v2/alerts`)).json()) as {
    labels: Record<string, string>;
    endsAt: string;
  }[];
  return alerts.filter(
    (alert) =>
      alert.labels.alertname === ALERT && alert.labels.feature === 'trending' && Date.parse(alert.endsAt) > Date.now(),
  );
}

/** The canary's latencies of a feature, p50 and p95 over the last minutes, and how many it measured. */
async function canaryLatencies(platform: CanaryPlatform, feature = 'trending'): Promise<string> {
  const series = `pulse_canary_e2e_latency_seconds_bucket{feature="${feature}"}`;
  // No figure yet (no sample, or NaN) while the series has a single sample in the range (a feature's first canaries).
  const quantile = async (q: number) => {
    const [value] = await promQuery(platform, `histogram_quantile(${q}, sum by (le) (increase(${series}[10m])))`);
    return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(2);
  };
  const count = await canaryCount(platform, feature);
  return `${feature}: ${count} canaries, p50 ${await quantile(0.5)} s, p95 ${await quantile(0.95)} s`;
}

/** How many canaries of a feature the worker has timed, as Prometheus scraped it. */
async function canaryCount(platform: CanaryPlatform, feature: string): Promise<number> {
  return (await promQuery(platform, `sum(pulse_canary_e2e_latency_seconds_count{feature="${feature}"})`))[0] ?? 0;
}

/**
 * The canary's wiring end to end: its latency histogram fills in Prometheus; with the trending
 * job stopped its events stay unseen and CanaryEventUnseen fires in Alertmanager; once the job is
 * deployed again they arrive and the alert resolves. The platform must run with SHORT_RULES.
 */
export async function checkCanaryAlertWiring(platform: CanaryPlatform): Promise<void> {
  await expect
    .poll(
      async () => (await promQuery(platform, 'sum(pulse_canary_e2e_latency_seconds_count{feature="trending"})'))[0],
      {
        timeout: 120_000,
        interval: 2_000,
      },
    )
    .toBeGreaterThanOrEqual(3);
  console.log(`canary before the stop: ${await canaryLatencies(platform)}`);
  // The canaries sent while `pulse up` deployed the jobs waited for them, and may have fired the
  // alert: it must resolve now that they are seen, before the stop below.
  await expect.poll(() => activeCanaryAlerts(platform), { timeout: 90_000, interval: 2_000 }).toEqual([]);
  // The sessions and ads jobs let their canaries through to their sinks too (already polled long
  // enough above for the trending ones, which take longer).
  for (const feature of ['sessions', 'ads']) {
    await expect.poll(() => canaryCount(platform, feature), { timeout: 30_000, interval: 2_000 }).toBeGreaterThan(0);
    console.log(`canary: ${await canaryLatencies(platform, feature)}`);
  }

  // The dashboard's answer never lists a canary topic.
  const trending = (await (
    await fetch(`${platform.apiUrl}/v1/trending?window=1m&limit=100`, { headers: { 'x-api-key': 'pulse-dev-api-key' } })
  ).json()) as { data: { topics: { topic: string }[] } };
  expect(trending.data.topics.filter((t) => t.topic.startsWith('CANARY:'))).toEqual([]);
  // Nor the dashboard's campaigns a canary campaign.
  const campaigns = (await (
    await fetch(`${platform.apiUrl}/v1/ads/campaigns`, { headers: { 'x-api-key': 'pulse-dev-api-key' } })
  ).json()) as { data: { campaigns: { campaign_id: string }[] } };
  expect(campaigns.data.campaigns.filter((c) => c.campaign_id.startsWith('CANARY:'))).toEqual([]);

  const flink = new FlinkRest(platform.flinkRestUrl);
  const { jobs } = await flink.json<{ jobs: { jid: string; name: string; state: string }[] }>('GET', '/jobs/overview');
  const job = jobs.find((j) => j.name === 'trending-topics' && j.state === 'RUNNING');
  expect(job, JSON.stringify(jobs)).toBeDefined();
  const stoppedAt = Date.now();
  await flink.json('PATCH', `/jobs/${job!.jid}?mode=cancel`);

  await expect
    .poll(async () => (await activeCanaryAlerts(platform)).length, { timeout: 60_000, interval: 1_000 })
    .toBe(1);
  console.log(`${ALERT} fired ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after the trending job stopped`);

  const deployed = platform.pulse('deploy', 'trending', '--watch', '0');
  expect(deployed.code, deployed.out).toBe(0);
  const deployedAt = Date.now();
  await expect
    .poll(async () => (await activeCanaryAlerts(platform)).length, { timeout: 90_000, interval: 1_000 })
    .toBe(0);
  console.log(`${ALERT} resolved ${((Date.now() - deployedAt) / 1000).toFixed(1)} s after the deploy returned`);
  console.log(`canary overall: ${await canaryLatencies(platform)}`);
}
