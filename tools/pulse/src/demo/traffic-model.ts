import { uuidv7 } from '@social-pulse/events';

/** Hashtags a social network talks about; popularity falls off along the list (Zipf). */
export const DEMO_TOPICS = [
  'worldcup',
  'ai',
  'music',
  'climate',
  'elections',
  'movies',
  'nba',
  'crypto',
  'fashion',
  'travel',
  'food',
  'gaming',
  'science',
  'space',
  'fitness',
  'books',
  'art',
  'photography',
  'startups',
  'tech',
  'football',
  'tennis',
  'f1',
  'olympics',
  'kpop',
  'anime',
  'netflix',
  'marvel',
  'starwars',
  'recipes',
  'vegan',
  'coffee',
  'yoga',
  'mentalhealth',
  'parenting',
  'pets',
  'dogs',
  'cats',
  'gardening',
  'diy',
  'history',
  'economy',
  'stocks',
  'realestate',
  'jobs',
  'remotework',
  'education',
  'health',
  'medicine',
  'running',
  'cycling',
  'hiking',
  'surfing',
  'skiing',
  'concerts',
  'festival',
  'jazz',
  'hiphop',
  'rock',
  'classical',
];

/**
 * Browsers people post from, in each event's context.user_agent. Needed: the sender is Node, whose
 * fetch says `node`, which the collector's isbot flags, so without these every demo event would be
 * a bot's and count for nothing. (Checked with isbot 5: none of these is a bot; HeadlessChrome is.)
 */
export const PEOPLE_USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0',
] as const;

const CONTENT_TYPES = [
  'content.viewed',
  'content.viewed',
  'content.viewed',
  'content.liked',
  'content.liked',
  'content.commented',
  'content.shared',
  'content.post_created',
] as const;

/** Picks index i with probability proportional to 1 / (i + 1)^s. */
export function zipfPicker(size: number, exponent = 1.1, random: () => number = Math.random): () => number {
  const weights = Array.from({ length: size }, (_, i) => 1 / (i + 1) ** exponent);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((sum, w, i) => (cumulative[i] = sum + w / total), 0);
  return () => {
    const r = random();
    const index = cumulative.findIndex((c) => r <= c);
    return index === -1 ? size - 1 : index;
  };
}

/**
 * What the demo does besides ordinary people, so damping shows in the API within minutes. Under raw
 * mention counts the spammer and the bot ring would rank near the top of the 1-minute list; with the
 * job's per-author cap the spammer weighs about 4 mentions, and bot-flagged events count only in
 * bot_mentions.
 */
export const DEMO_SCENARIOS = {
  /** One account posting one tag over and over, from a phone: more raw mentions a minute than any real topic. */
  spam: { tag: 'freegiveaway', userId: 'demo-spammer', perSecond: 8 },
  /**
   * Accounts of a bot ring pushing one tag from a script. The user agent travels in each event's
   * context.user_agent (the collector prefers it to the request's) and the collector flags it as a
   * bot (isbot). A few real people mention the tag too, so its row shows mentions next to bot_mentions.
   */
  botRing: {
    tag: 'cryptopump',
    accounts: 25,
    perSecond: 6,
    userAgent: 'python-requests/2.31.0',
    realShare: 0.02,
  },
  /** A topic people take up slowly: its share of their events grows linearly for 20 minutes, then holds. */
  slowBurn: { tag: 'heatpumps', maxShare: 0.15, rampMs: 20 * 60_000 },
  /** A tail topic surging for a minute, from many authors, now and then (first after 30 s). */
  surge: { share: 0.35, firstAfterMs: 30_000, lastsMs: 60_000, everyMs: [120_000, 240_000] },
} as const;

export type DemoEventKind = 'people' | 'spam' | 'botRing';

export interface TrafficModelOptions {
  users: number;
  /** Events a second from ordinary people; the spammer and the bot ring add theirs (DEMO_SCENARIOS). */
  peoplePerSecond?: number;
  random?: () => number;
  now?: () => number;
}

/**
 * Realistic content events: a few hundred users with long-tail topic popularity, a slow-burning
 * topic, now and then one topic surging for a minute (what the trending job is there to catch), and
 * the abuse the job must damp: a spam account and a bot ring.
 */
export class TrafficModel {
  /** Events a second of all kinds together: what the sender should post. */
  readonly eventsPerSecond: number;
  private readonly pickTopic: () => number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly peoplePerSecond: number;
  private surge?: { topic: string; until: number };
  private nextSurgeAt: number;

  constructor(private readonly options: TrafficModelOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.pickTopic = zipfPicker(DEMO_TOPICS.length, 1.1, this.random);
    this.startedAt = this.now();
    this.nextSurgeAt = this.startedAt + DEMO_SCENARIOS.surge.firstAfterMs;
    this.peoplePerSecond = options.peoplePerSecond ?? 20;
    this.eventsPerSecond = this.peoplePerSecond + DEMO_SCENARIOS.spam.perSecond + DEMO_SCENARIOS.botRing.perSecond;
  }

  /** The topic surging now, if any. */
  currentSurge(): string | undefined {
    const now = this.now();
    const { lastsMs, everyMs } = DEMO_SCENARIOS.surge;
    if (this.surge && now > this.surge.until) this.surge = undefined;
    if (!this.surge && now >= this.nextSurgeAt) {
      // Surges pick from the tail, so a topic visibly climbs the ranking.
      const topic = DEMO_TOPICS[20 + Math.floor(this.random() * (DEMO_TOPICS.length - 20))];
      this.surge = { topic, until: now + lastsMs };
      this.nextSurgeAt = now + everyMs[0] + Math.floor(this.random() * (everyMs[1] - everyMs[0]));
    }
    return this.surge?.topic;
  }

  /** The share of people's events that mention the slow-burning topic now. */
  slowBurnShare(): number {
    const { maxShare, rampMs } = DEMO_SCENARIOS.slowBurn;
    return maxShare * Math.min(1, (this.now() - this.startedAt) / rampMs);
  }

  nextEvent(): Record<string, unknown> {
    const kind = this.pickKind();
    if (kind === 'spam') {
      return this.event(DEMO_SCENARIOS.spam.userId, [DEMO_SCENARIOS.spam.tag], PEOPLE_USER_AGENTS[0]);
    }
    if (kind === 'botRing') {
      const { accounts, tag, userAgent } = DEMO_SCENARIOS.botRing;
      return this.event(`demo-bot-${Math.floor(this.random() * accounts)}`, [tag], userAgent);
    }
    const surge = this.currentSurge();
    const hashtags = new Set<string>([DEMO_TOPICS[this.pickTopic()]]);
    if (this.random() < 0.3) hashtags.add(DEMO_TOPICS[this.pickTopic()]);
    if (surge && this.random() < DEMO_SCENARIOS.surge.share) hashtags.add(surge);
    if (this.random() < this.slowBurnShare()) hashtags.add(DEMO_SCENARIOS.slowBurn.tag);
    if (this.random() < DEMO_SCENARIOS.botRing.realShare) hashtags.add(DEMO_SCENARIOS.botRing.tag);
    const user = Math.floor(this.random() * this.options.users);
    // One device per person, so a person's events look alike.
    return this.event(`demo-user-${user}`, [...hashtags], PEOPLE_USER_AGENTS[user % PEOPLE_USER_AGENTS.length]);
  }

  /** Who sends the next event, in proportion to each kind's rate. */
  private pickKind(): DemoEventKind {
    const r = this.random() * this.eventsPerSecond;
    if (r < DEMO_SCENARIOS.spam.perSecond) return 'spam';
    if (r < DEMO_SCENARIOS.spam.perSecond + DEMO_SCENARIOS.botRing.perSecond) return 'botRing';
    return 'people';
  }

  private event(userId: string, hashtags: string[], userAgent: string): Record<string, unknown> {
    return {
      event_id: uuidv7(this.now()),
      event_type: CONTENT_TYPES[Math.floor(this.random() * CONTENT_TYPES.length)],
      schema_version: 1,
      user_id: userId,
      client_ts: new Date(this.now()).toISOString(),
      context: { app_version: 'demo-1.0', locale: 'en-US', user_agent: userAgent },
      properties: {
        content_id: `post-${Math.floor(this.random() * 5000)}`,
        author_id: `demo-user-${Math.floor(this.random() * this.options.users)}`,
        hashtags,
      },
    };
  }
}
