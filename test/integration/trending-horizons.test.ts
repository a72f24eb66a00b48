import { TRENDING_HORIZON_LABELS } from '@social-pulse/shared';
import { BROWSER_USER_AGENT, contentEvent, platform } from '@social-pulse/testing';
import { beforeAll, describe, expect, it } from 'vitest';

const WRITE_KEY = 'pulse-dev-write-key';
const API_KEY = 'pulse-dev-api-key';
/** A user agent the collector flags as a bot (isbot's list). */
const BOT_USER_AGENT = 'python-requests/2.31.0';

interface TrendingTopic {
  rank: number;
  topic: string;
  score: number;
  mentions: number;
  unique_authors: number;
  weighted_mentions: number;
  damping: number;
  bot_mentions: number;
  baseline: number;
  velocity: number;
}
interface TrendingAnswer {
  data: { window: string; window_end: string | null; topics: TrendingTopic[] };
  data_time: string | null;
  computed_at: string | null;
  age_ms: number | null;
  source: string;
  stale: boolean;
}

async function apiGet<T>(path: string): Promise<T> {
  const res = await fetch(`${platform.apiUrl}${path}`, { headers: { 'x-api-key': API_KEY } });
  if (!res.ok) throw new Error(`the API answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return (await res.json()) as T;
}

async function post(events: unknown[]): Promise<void> {
  const res = await fetch(`${platform.collectorUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-write-key': WRITE_KEY },
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(202);
  expect(((await res.json()) as { accepted: number }).accepted).toBe(events.length);
}

const mention = (user: string, hashtag: string, userAgent = BROWSER_USER_AGENT) =>
  contentEvent({
    event_type: 'content.post_created',
    user_id: user,
    context: { user_agent: userAgent },
    properties: { content_id: `post-${user}`, hashtags: [hashtag] },
  });

/**
 * Through the real collector, Kafka, the deployed trending job, ClickHouse and the API: a surge
 * from many people, one account spamming a tag, a ring of bot accounts and a resent batch, seen in
 * every horizon with the parts of each score.
 */
describe('trending horizons end to end', () => {
  const run = Date.now().toString(36);
  const surge = `surge${run}`;
  const spam = `spam${run}`;
  const botRing = `botring${run}`;
  const fillers = Array.from({ length: 12 }, (_, i) => `filler${run}x${i}`);
  const SURGE_AUTHORS = 60;
  const SPAM_POSTS = 300;
  const BOTS = 20;

  beforeAll(async () => {
    const surgeEvents = Array.from({ length: SURGE_AUTHORS }, (_, i) => mention(`surge-user-${run}-${i}`, surge));
    await post(surgeEvents);
    // A client that resends after a lost answer: the same event ids again, to be counted once.
    await post(surgeEvents);
    for (let batch = 0; batch < SPAM_POSTS / 100; batch++) {
      await post(Array.from({ length: 100 }, () => mention(`spammer-${run}`, spam)));
    }
    // Bot accounts post their own tag and the surge's: neither counts.
    await post(
      Array.from({ length: BOTS * 5 }, (_, i) =>
        mention(`bot-${run}-${i % BOTS}`, i % 2 === 0 ? botRing : surge, BOT_USER_AGENT),
      ),
    );
    // Twelve ordinary topics of eight people each: enough to push one account's tag out of a top 10.
    await post(
      fillers.flatMap((tag, t) => Array.from({ length: 8 }, (_, i) => mention(`filler-${run}-${t}-${i}`, tag))),
    );
  });

  /** The horizon's list once the windows holding every event above have been written. */
  async function settledList(window: string): Promise<TrendingAnswer> {
    let answer: TrendingAnswer | undefined;
    await expect
      .poll(
        async () => {
          answer = await apiGet<TrendingAnswer>(`/v1/trending?window=${window}&limit=50`);
          const row = answer.data.topics.find((t) => t.topic === surge);
          const fillersListed = fillers.filter((f) => answer!.data.topics.some((t) => t.topic === f)).length;
          return { surgeMentions: row?.mentions ?? 0, surgeBots: row?.bot_mentions ?? 0, fillersListed };
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toEqual({ surgeMentions: SURGE_AUTHORS, surgeBots: (BOTS * 5) / 2, fillersListed: 12 });
    return answer!;
  }

  it.each(TRENDING_HORIZON_LABELS)(
    'should rank the surge first and damp the spammer and the bot ring in the %s horizon',
    async (window) => {
      const answer = await settledList(window);
      const topics = answer.data.topics;
      const ours = topics.filter((t) => t.topic.endsWith(run) || t.topic.includes(`${run}x`));
      const rankOf = (tag: string) => topics.find((t) => t.topic === tag)?.rank;

      // The surge: every author once, the resend not counted twice, the bots' posts left out.
      const surgeRow = topics.find((t) => t.topic === surge)!;
      expect(ours[0].topic).toBe(surge);
      expect(surgeRow).toMatchObject({ mentions: SURGE_AUTHORS, unique_authors: SURGE_AUTHORS, damping: 0 });
      expect(surgeRow.weighted_mentions).toBeCloseTo(SURGE_AUTHORS, 6);
      expect(surgeRow.score).toBeCloseTo(Math.log(1 + SURGE_AUTHORS) * surgeRow.velocity, 6);

      // The spammer: 300 mentions from one account weigh no more than the author cap.
      const spamRank = rankOf(spam);
      expect(spamRank === undefined || spamRank > 10, `spam tag ranked ${spamRank}`).toBe(true);
      const spamRow = topics.find((t) => t.topic === spam);
      if (spamRow) {
        expect(spamRow).toMatchObject({ mentions: SPAM_POSTS, unique_authors: 1 });
        expect(spamRow.damping).toBeGreaterThan(0.98);
      }
      for (const filler of fillers) expect(rankOf(filler)).toBeLessThan(spamRank ?? Infinity);

      // The bot ring's own tag never counts, so it is never listed.
      expect(rankOf(botRing)).toBeUndefined();

      // Freshness travels with the answer.
      expect(answer.data.window).toBe(window);
      expect(answer.data_time).toBe(answer.data.window_end);
      expect(['redis', 'clickhouse']).toContain(answer.source);
      expect(answer.age_ms).toBeGreaterThanOrEqual(0);
      expect(answer.computed_at).not.toBeNull();
    },
  );

  it("should keep the surge's history one point per minute", async () => {
    await settledList('1m');
    const history = await apiGet<{ data: { topic: string; points: { minute: string; score: number }[] } }>(
      `/v1/trending/${surge}/history?window=1m&minutes=10`,
    );
    expect(history.data.topic).toBe(surge);
    expect(history.data.points.length).toBeGreaterThan(0);
    const minutes = history.data.points.map((p) => p.minute);
    expect(new Set(minutes).size).toBe(minutes.length);
    expect(Math.max(...history.data.points.map((p) => p.score))).toBeGreaterThan(0);
  });
});
