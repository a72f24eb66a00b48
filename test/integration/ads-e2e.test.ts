import {
  adsApiTotals,
  committedFunnelCounts,
  funnelCounts,
  platform,
  postAdFunnel,
  scriptedAdFunnel,
} from '@social-pulse/testing';
import { describe, expect, it } from 'vitest';

const post = async (events: unknown[]) => {
  const res = await fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': 'pulse-dev-write-key' },
    body: JSON.stringify({ sent_at: new Date().toISOString(), events }),
  });
  expect(res.status, await res.text()).toBe(202);
};

describe('ad performance end to end', () => {
  it('should answer a scripted funnel’s truth per segment through the API, within seconds', async () => {
    const funnel = scriptedAdFunnel(Date.now().toString(36));
    await postAdFunnel(funnel, post);

    await expect
      .poll(() => committedFunnelCounts(platform.clickhouseUrl, funnel), { timeout: 60_000, interval: 500 })
      .toEqual(funnelCounts(funnel));
    const answer = await adsApiTotals(platform.apiUrl, funnel);
    expect(answer.source).toBe('clickhouse');
    expect(answer.totals).toEqual(funnel.expected);
  });
});
