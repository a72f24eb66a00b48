import { createLogger } from '@social-pulse/observability';
import { CanaryLedger } from './canary-ledger';
import { canaryMetrics } from './canary-metrics';

const logger = createLogger('canary');

/** One feature the canary measures: the event it sends, and where the end of its path shows it. */
export interface CanaryFeature {
  /** The `feature` label, as the alerts name it: trending, engagement, sessions, ads. */
  readonly name: string;
  /** A marked event that the end of the path will show by `marker`. */
  event(marker: string, now: Date): Record<string, unknown>;
  /** The markers the end of the path (the API's read path) shows now. */
  visible(): Promise<ReadonlySet<string>>;
}

/** Where the canary's events go in: the collector, with the canary's write key. */
export interface CanaryCollector {
  send(events: Record<string, unknown>[]): Promise<void>;
}

export interface CanaryRunnerOptions {
  features: CanaryFeature[];
  collector: CanaryCollector;
  /** Time between two sends of each feature. */
  intervalMs: number;
  /** How often the end of the path is read while a canary is pending. */
  pollMs: number;
  /** After this a canary unseen is given up and counted as a timeout. */
  timeoutMs: number;
  now?: () => number;
}

/**
 * The canary: every interval it sends one marked event per feature through the collector, and reads
 * the end of the path until each shows up, recording the latency, the age of the oldest one unseen
 * and the ones given up. A canary the collector refused stays pending: the path is broken for it as
 * for any user's event, and the age of the oldest unseen must say so.
 */
export class CanaryRunner {
  private readonly ledger: CanaryLedger;
  private readonly now: () => number;
  private nextSendAt = 0;
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: CanaryRunnerOptions) {
    this.ledger = new CanaryLedger(options.timeoutMs);
    this.now = options.now ?? Date.now;
  }

  /** Runs a tick every pollMs until stop(). */
  start(): void {
    const loop = () => {
      this.running = this.tick().finally(() => {
        if (this.running) this.timer = setTimeout(loop, this.options.pollMs);
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    clearTimeout(this.timer);
    await running;
  }

  /** Sends when the interval is up, then reads the end of the path of every feature with canaries pending. */
  async tick(): Promise<void> {
    if (this.now() >= this.nextSendAt) {
      this.nextSendAt = this.now() + this.options.intervalMs;
      await Promise.all(this.options.features.map((feature) => this.send(feature)));
    }
    await Promise.all(this.options.features.map((feature) => this.check(feature)));
  }

  private async send(feature: CanaryFeature): Promise<void> {
    const sentAt = this.now();
    // Lower case and short: a valid hashtag, unique across restarts (the time) and within one (the sequence).
    const marker = `canary-${sentAt.toString(36)}-${(this.sequence++).toString(36)}`;
    this.ledger.sent(feature.name, marker, sentAt);
    try {
      await this.options.collector.send([feature.event(marker, new Date(sentAt))]);
    } catch (error) {
      canaryMetrics.sendFailures.inc({ feature: feature.name });
      logger.warn({ feature: feature.name, error: (error as Error).message }, 'the collector did not take a canary');
    }
  }

  private async check(feature: CanaryFeature): Promise<void> {
    if (this.ledger.pendingCount(feature.name) > 0) {
      try {
        const visible = await feature.visible();
        for (const seconds of this.ledger.seen(feature.name, visible, this.now())) {
          canaryMetrics.latency.observe({ feature: feature.name }, seconds);
        }
      } catch (error) {
        logger.debug({ feature: feature.name, error: (error as Error).message }, 'the end of the path did not answer');
      }
    }
    const expired = this.ledger.expire(feature.name, this.now());
    if (expired > 0) {
      canaryMetrics.timeouts.inc({ feature: feature.name }, expired);
      logger.warn({ feature: feature.name, expired }, 'canaries given up unseen');
    }
    canaryMetrics.oldestUnseen.set(
      { feature: feature.name },
      this.ledger.oldestUnseenSeconds(feature.name, this.now()),
    );
  }
}
