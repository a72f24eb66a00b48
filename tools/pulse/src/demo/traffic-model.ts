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

export interface TrafficModelOptions {
  users: number;
  random?: () => number;
  now?: () => number;
}

/**
 * Realistic content events: a few hundred users, long-tail topic popularity, and now and then
 * one topic surging for a minute (what the trending job is there to catch).
 */
export class TrafficModel {
  private readonly pickTopic: () => number;
  private readonly random: () => number;
  private readonly now: () => number;
  private surge?: { topic: string; until: number };
  private nextSurgeAt: number;

  constructor(private readonly options: TrafficModelOptions) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.pickTopic = zipfPicker(DEMO_TOPICS.length, 1.1, this.random);
    this.nextSurgeAt = this.now() + 30_000;
  }

  /** The topic surging now, if any. */
  currentSurge(): string | undefined {
    const now = this.now();
    if (this.surge && now > this.surge.until) this.surge = undefined;
    if (!this.surge && now >= this.nextSurgeAt) {
      // Surges pick from the tail, so a topic visibly climbs the ranking.
      const topic = DEMO_TOPICS[20 + Math.floor(this.random() * (DEMO_TOPICS.length - 20))];
      this.surge = { topic, until: now + 60_000 };
      this.nextSurgeAt = now + 120_000 + Math.floor(this.random() * 120_000);
    }
    return this.surge?.topic;
  }

  nextEvent(): Record<string, unknown> {
    const user = Math.floor(this.random() * this.options.users);
    const surge = this.currentSurge();
    const hashtags = new Set<string>([DEMO_TOPICS[this.pickTopic()]]);
    if (this.random() < 0.3) hashtags.add(DEMO_TOPICS[this.pickTopic()]);
    if (surge && this.random() < 0.35) hashtags.add(surge);
    return {
      event_id: uuidv7(this.now()),
      event_type: CONTENT_TYPES[Math.floor(this.random() * CONTENT_TYPES.length)],
      schema_version: 1,
      user_id: `demo-user-${user}`,
      client_ts: new Date(this.now()).toISOString(),
      context: { app_version: 'demo-1.0', locale: 'en-US' },
      properties: {
        content_id: `post-${Math.floor(this.random() * 5000)}`,
        author_id: `demo-user-${Math.floor(this.random() * this.options.users)}`,
        hashtags: [...hashtags],
      },
    };
  }
}
