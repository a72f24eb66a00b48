import { uuidv7 } from '@social-pulse/events';
import { PEOPLE_USER_AGENTS } from './traffic-model';

/** Pages of the demo app; the feed and explore pages are where most visits start. */
const PAGES = ['/feed', '/feed', '/feed', '/explore', '/notifications', '/messages', '/settings'] as const;
/** Where the demo's visitors are, as the edge reports it (x-country): most from a few countries. */
export const DEMO_COUNTRIES = ['US', 'US', 'US', 'DE', 'DE', 'GB', 'FR', 'BR', 'IN', 'JP'] as const;
const INTERACTIONS = [
  'content.liked',
  'content.liked',
  'content.commented',
  'content.shared',
  'content.post_created',
] as const;

/** The SDK's session timeout: a visitor back after longer than this starts a new session id. */
const SESSION_TIMEOUT_MS = 30 * 60_000;

/** How the demo's visitors browse; times in milliseconds. */
export const BROWSING = {
  /** A visit lasts this long; a tenth of visits are a single page (a bounce). */
  visitMs: [30_000, 12 * 60_000],
  bounceShare: 0.1,
  /** Seconds between two actions of a visitor browsing. */
  thinkMs: [3_000, 30_000],
  /** A fifth of the actions are interactions (likes, comments, shares, posts), the rest page views. */
  interactionShare: 0.2,
  /** Between visits: most come back within minutes (same session), some after the session timed out. */
  shortAwayMs: [60_000, 10 * 60_000],
  longAwayMs: [35 * 60_000, 90 * 60_000],
  longAwayShare: 0.4,
} as const;

interface Visitor {
  userId: string;
  userAgent: string;
  country: string;
  sessionId: string;
  lastActivityAt: number;
  /** When the visitor acts next, and until when the current visit lasts (undefined when away). */
  nextAt: number;
  visitEndsAt?: number;
}

export interface BrowsingEvent {
  /** The visitor's country, for the edge's x-country header. */
  country: string;
  event: Record<string, unknown>;
}

/**
 * Visitors browsing the app as people do: visits of varied length (some a single page), think time
 * between pages, and away times both shorter and longer than the 30-minute session gap, on several
 * devices and from several countries, so the engagement numbers look believable within minutes.
 * Each visitor keeps one device and country, and a session id the way the SDK keeps it.
 */
export class BrowsingModel {
  private readonly visitors: Visitor[];
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(options: { visitors: number; random?: () => number; now?: () => number }) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    const start = this.now();
    this.visitors = Array.from({ length: options.visitors }, (_, i) => ({
      userId: `demo-visitor-${i}`,
      userAgent: PEOPLE_USER_AGENTS[i % PEOPLE_USER_AGENTS.length],
      country: DEMO_COUNTRIES[Math.floor(this.random() * DEMO_COUNTRIES.length)],
      sessionId: uuidv7(start),
      lastActivityAt: start,
      // Spread the first visits over the first two minutes.
      nextAt: start + Math.floor(this.random() * 120_000),
    }));
  }

  /** The events of every visitor due by now, advancing each visitor's plan. */
  due(): BrowsingEvent[] {
    const now = this.now();
    const events: BrowsingEvent[] = [];
    for (const visitor of this.visitors) {
      while (visitor.nextAt <= now) events.push(...this.act(visitor, visitor.nextAt));
    }
    return events;
  }

  private act(visitor: Visitor, at: number): BrowsingEvent[] {
    if (visitor.visitEndsAt === undefined) {
      // Back from away: a new visit, a page view first.
      if (at - visitor.lastActivityAt > SESSION_TIMEOUT_MS) visitor.sessionId = uuidv7(at);
      const bounce = this.random() < BROWSING.bounceShare;
      visitor.visitEndsAt = bounce ? at : at + this.between(BROWSING.visitMs);
      return [this.pageView(visitor, at)];
    }
    if (at >= visitor.visitEndsAt) {
      visitor.visitEndsAt = undefined;
      const long = this.random() < BROWSING.longAwayShare;
      visitor.nextAt = at + this.between(long ? BROWSING.longAwayMs : BROWSING.shortAwayMs);
      return [];
    }
    return [this.random() < BROWSING.interactionShare ? this.interaction(visitor, at) : this.pageView(visitor, at)];
  }

  private pageView(visitor: Visitor, at: number): BrowsingEvent {
    const page = this.random() < 0.3 ? `/post/${Math.floor(this.random() * 500)}` : this.pick(PAGES);
    return this.event(visitor, at, 'user.page_viewed', {
      context: { page: { url: `https://social.example${page}`, path: page, title: page } },
      properties: {},
    });
  }

  private interaction(visitor: Visitor, at: number): BrowsingEvent {
    return this.event(visitor, at, this.pick(INTERACTIONS), {
      properties: { content_id: `post-${Math.floor(this.random() * 500)}`, hashtags: [] },
    });
  }

  private event(
    visitor: Visitor,
    at: number,
    eventType: string,
    fields: { context?: Record<string, unknown>; properties: Record<string, unknown> },
  ): BrowsingEvent {
    visitor.lastActivityAt = at;
    visitor.nextAt = at + this.between(BROWSING.thinkMs);
    return {
      country: visitor.country,
      event: {
        event_id: uuidv7(at),
        event_type: eventType,
        schema_version: 1,
        user_id: visitor.userId,
        session_id: visitor.sessionId,
        client_ts: new Date(at).toISOString(),
        context: { app_version: 'demo-1.0', locale: 'en-US', user_agent: visitor.userAgent, ...fields.context },
        properties: fields.properties,
      },
    };
  }

  private between([low, high]: readonly [number, number]): number {
    return low + Math.floor(this.random() * (high - low));
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }
}
