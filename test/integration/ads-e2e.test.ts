import { createClickHouse } from '@social-pulse/clickhouse';
import { adTotalsOf, platform, postAdFunnel, scriptedAdFunnel } from '@social-pulse/testing';
import { afterAll, describe, expect, it } from 'vitest';

const post = async (events: unknown[]) => {
  const res = await fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': 'pulse-dev-write-key' },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
  });
  expect(res.status, await res.text()).toBe(202);
};

const COUNTS = ['impressions', 'clicks', 'attributed_clicks', 'conversions', 'unattributed_conversions'] as const;

describe('ad performance end to end', () => {
  const clickhouse = createClickHouse({ url: platform.clickhouseUrl });
  afterAll(() => clickhouse.close());

  /** The campaign's counts in the minute facts, as the job has committed them so far. */
  const committed = async (campaignId: string) => {
    const [row] = await (
      await clickhouse.query({
        query: `SELECT ${COUNTS.map((c) => `sum(${c}) AS ${c}`).join(', ')}
                FROM ad_performance_minute WHERE campaign_id = {campaign:String}`,
        query_params: { campaign: campaignId },
        format: 'JSONEachRow',
      })
    ).json<Record<string, string>>();
    return Object.fromEntries(COUNTS.map((c) => [c, Number(row[c])]));
  };

  it('should answer a scripted funnel’s truth per segment through the API, within seconds', async () => {
    const funnel = scriptedAdFunnel(Date.now().toString(36));
    await postAdFunnel(funnel, post);

    // Once every count is committed (the day answer is cached 60 s, so the API is asked once, then).
    const totals = Object.fromEntries(
      COUNTS.map((c) => [c, Object.values(funnel.expected).reduce((sum, t) => sum + t[c], 0)]),
    );
    await expect.poll(() => committed(funnel.campaignId), { timeout: 60_000, interval: 500 }).toEqual(totals);

    const query = new URLSearchParams({
      interval: 'day',
      from: funnel.from.toISOString(),
      to: funnel.to.toISOString(),
      campaign_id: funnel.campaignId,
      group_by: 'device,age_band,gender,country',
    });
    const res = await fetch(`${platform.apiUrl}/v1/ads/performance?${query}`, {
      headers: { 'x-api-key': 'pulse-dev-api-key' },
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { source: string; data: { points: Parameters<typeof adTotalsOf>[0] } };
    expect(answer.source).toBe('clickhouse');
    expect(adTotalsOf(answer.data.points)).toEqual(funnel.expected);
  });
});
