import { TRENDING_HORIZON_LABELS } from '@social-pulse/shared';
import type { DashboardApi } from './api';
import { AnswerBoard, type AnswerRequest } from './answer-board';
import { h } from './dom';
import { panelStatus, type AnswerView, type FetchFailure } from './freshness';
import type { Panel } from './panel';
import { AdsHourPanel, AdsSegmentPanel, CampaignsPanel } from './panels/ads';
import {
  EngagementBreakdownPanel,
  EngagementDayPanel,
  EngagementHourPanel,
  LiveEngagementPanel,
} from './panels/engagement';
import { TOPICS_SHOWN, TrendingPanel } from './panels/trending';
import { TopicHistories } from './topic-histories';
import type { TrendingWindow } from './types';

/** The horizons, as the API's parameters name them (the shared file is their one home). */
const HORIZONS = TRENDING_HORIZON_LABELS as TrendingWindow[];

/**
 * What each panel reads: the request shapes the refresh workflows pre-compute (the API's
 * precomputed-answers.ts), with `to` left to the API's default, so every read is a Redis hit.
 */
export const DASHBOARD_REQUESTS: AnswerRequest[] = [
  ...HORIZONS.map((window): AnswerRequest => ({
    id: `trending-${window}`,
    answer: `trending-${window}`,
    read: (api) => api.GET('/v1/trending', { params: { query: { window, limit: TOPICS_SHOWN } } }),
  })),
  { id: 'engagement-live', answer: 'engagement-live', read: (api) => api.GET('/v1/engagement/live') },
  {
    id: 'engagement-last-hour',
    answer: 'engagement-last-hour',
    read: (api) => api.GET('/v1/engagement/summary', { params: { query: { interval: 'minute' } } }),
  },
  {
    id: 'engagement-last-day',
    answer: 'engagement-last-day',
    read: (api) => api.GET('/v1/engagement/summary', { params: { query: { interval: 'hour' } } }),
  },
  {
    id: 'engagement-by-device',
    answer: 'engagement-last-day',
    read: (api) => api.GET('/v1/engagement/summary', { params: { query: { interval: 'hour', group_by: 'device' } } }),
  },
  {
    id: 'engagement-by-country',
    answer: 'engagement-last-day',
    read: (api) => api.GET('/v1/engagement/summary', { params: { query: { interval: 'hour', group_by: 'country' } } }),
  },
  {
    id: 'ads-last-hour',
    answer: 'ads-last-hour',
    read: (api) => api.GET('/v1/ads/performance', { params: { query: { interval: 'minute' } } }),
  },
  {
    id: 'ads-by-device',
    answer: 'ads-last-day',
    read: (api) => api.GET('/v1/ads/performance', { params: { query: { interval: 'hour', group_by: 'device' } } }),
  },
  { id: 'ads-campaigns', answer: 'ads-campaigns', read: (api) => api.GET('/v1/ads/campaigns') },
];

/** A panel and how it draws its answer's data. */
interface PanelBinding {
  panel: Panel;
  render: (data: never, now: number) => void;
}

export interface DashboardCallbacks {
  /** The key was refused (401, 403): the dashboard stopped; ask for another. */
  refused(failure: FetchFailure): void;
  /** Live updates: connecting, live, paused (the API lost Redis), reconnecting. */
  connection(state: 'connecting' | 'live' | 'paused' | 'reconnecting'): void;
}

/**
 * The three areas, each panel kept current by the update stream: a refreshed answer is read once,
 * its panel redrawn. Every second each panel's age is redrawn, and the board reads what nothing
 * announced for too long.
 */
export function startDashboard(root: HTMLElement, api: DashboardApi, callbacks: DashboardCallbacks): () => void {
  const histories = new TopicHistories(
    (topic, window, minutes) => api.topicHistory(topic, window, minutes),
    (window, topic) => trending.find((p) => p.window === window)?.drawSparkline(topic),
  );
  const trending = HORIZONS.map((window) => new TrendingPanel(window, histories));
  const live = new LiveEngagementPanel();
  const hour = new EngagementHourPanel();
  const day = new EngagementDayPanel();
  const byDevice = new EngagementBreakdownPanel('device');
  const byCountry = new EngagementBreakdownPanel('country');
  const adsHour = new AdsHourPanel();
  const adsDevice = new AdsSegmentPanel();
  const campaigns = new CampaignsPanel();

  root.replaceChildren(
    area(
      'trending',
      'Trending topics',
      'A topic scores higher the more different people mention it and the faster that beats its usual level. ' +
        'Repeats by one account count little, and bots not at all.',
      'grid-3',
      trending.map((p) => p.panel),
    ),
    area('engagement', 'Engagement', null, 'grid-2', [
      live.panel,
      hour.panel,
      day.panel,
      byDevice.panel,
      byCountry.panel,
    ]),
    area('ads', 'Ad performance', null, 'grid-2', [adsHour.panel, adsDevice.panel, campaigns.panel]),
  );

  const bindings = new Map<string, PanelBinding>([
    ...trending.map((p): [string, PanelBinding] => [
      `trending-${p.window}`,
      { panel: p.panel, render: (d) => p.render(d) },
    ]),
    ['engagement-live', { panel: live.panel, render: (d) => live.render(d) }],
    ['engagement-last-hour', { panel: hour.panel, render: (d, now) => hour.render(d, now) }],
    ['engagement-last-day', { panel: day.panel, render: (d, now) => day.render(d, now) }],
    ['engagement-by-device', { panel: byDevice.panel, render: (d) => byDevice.render(d) }],
    ['engagement-by-country', { panel: byCountry.panel, render: (d) => byCountry.render(d) }],
    ['ads-last-hour', { panel: adsHour.panel, render: (d, now) => adsHour.render(d, now) }],
    ['ads-by-device', { panel: adsDevice.panel, render: (d) => adsDevice.render(d) }],
    ['ads-campaigns', { panel: campaigns.panel, render: (d) => campaigns.render(d) }],
  ]);

  let stopped = false;
  const drawn = new Set<string>();
  let allDrawn = false;
  const board = new AnswerBoard(
    DASHBOARD_REQUESTS,
    (request) => api.answer(request.read),
    (id, view) => {
      if (stopped) return;
      const failure = view.failure?.failure;
      if (failure && (failure.kind === 'unauthorized' || failure.kind === 'forbidden')) {
        stop();
        callbacks.refused(failure);
        return;
      }
      show(id, view);
    },
  );

  function show(id: string, view: AnswerView): void {
    const binding = bindings.get(id);
    if (!binding) return;
    const now = Date.now();
    binding.panel.setStatus(panelStatus(view, now));
    if (!view.answer || (view.failure && view.failure.at >= view.answer.receivedAt)) return;
    binding.render(view.answer.envelope.data as never, now);
    // bench/dashboard.bench.ts reads these: navigation to the first panel, and to every panel, drawn with data.
    if (drawn.size === 0) performance.mark('pulse:first-panel-data');
    drawn.add(id);
    if (drawn.size === bindings.size && !allDrawn) {
      allDrawn = true;
      performance.mark('pulse:all-panels-data');
    }
  }

  // Everything is read at once, not after the stream opens: that would add its round trip to the
  // first render. What is announced between this read and the stream opening waits for the
  // answer's next refresh (its cadence, at most 30 s).
  void board.refreshAll();
  let everOpen = false;
  /** Whether the API's subscription stands; null until the stream says. */
  let subscriptionLive: boolean | null = null;
  callbacks.connection('connecting');
  const closeStream = api.stream({
    connected: (open) => {
      // Reopened: what changed meanwhile was not announced, so read everything once.
      if (open && everOpen) void board.refreshAll();
      everOpen ||= open;
      if (!open) callbacks.connection('reconnecting');
    },
    live: (nowLive) => {
      // Back after a loss (or the API's subscription just started): updates may have been missed.
      if (nowLive && subscriptionLive === false) void board.refreshAll();
      subscriptionLive = nowLive;
      callbacks.connection(nowLive ? 'live' : 'paused');
    },
    answer: (update) => void board.refreshAnswer(update.answer),
    refused: (failure) => {
      stop();
      callbacks.refused(failure);
    },
  });

  const ticker = setInterval(() => {
    board.tick();
    const now = Date.now();
    for (const [id, binding] of bindings) binding.panel.setStatus(panelStatus(board.view(id), now));
  }, 1_000);

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearInterval(ticker);
    closeStream();
  }
  return stop;
}

function area(id: string, title: string, intro: string | null, grid: string, panels: Panel[]): HTMLElement {
  return h(
    'section',
    { class: 'area', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title),
    intro ? h('p', { class: 'intro' }, intro) : null,
    h('div', { class: grid }, ...panels.map((p) => p.element)),
  );
}
