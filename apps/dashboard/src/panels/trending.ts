import { Sparkline } from '../charts';
import { h } from '../dom';
import { formatCount, formatDecimal, formatPercent, hashtag } from '../format';
import { Panel, emptyRow, table } from '../panel';
import { withLatest, type TopicHistories } from '../topic-histories';
import type { TrendingData, TrendingTopic, TrendingWindow } from '../types';

/** Topics listed per horizon: the sparklines' history reads stay few. */
export const TOPICS_SHOWN = 10;

/** How far back each horizon's sparklines reach, in minutes (one point a minute). */
export const HISTORY_MINUTES: Record<string, number> = { '1m': 60, '5m': 120, '15m': 240 };

/**
 * Why a topic scores what it does, in words: how many people, how fast against its usual level,
 * and what the score left out (one account's repeats, bots).
 */
export function explainTopic(topic: TrendingTopic): string {
  const parts = [
    `${formatCount(topic.mentions)} mentions by ${formatCount(topic.unique_authors)} ${topic.unique_authors === 1 ? 'person' : 'people'}`,
    `${formatDecimal(topic.velocity)}× its usual level`,
  ];
  if (topic.damping >= 0.05) parts.push(`${formatPercent(topic.damping)} damped as repeats`);
  if (topic.bot_mentions > 0) parts.push(`${formatCount(topic.bot_mentions)} bot mentions left out`);
  return parts.join(' · ');
}

const formula = (topic: TrendingTopic) =>
  `score = ln(1 + ${formatDecimal(topic.weighted_mentions)} weighted mentions) × ${formatDecimal(topic.velocity)} growth ` +
  `(baseline ${formatDecimal(topic.baseline)} per window)`;

/** One horizon's top topics, with each score explained and a sparkline of the topic's score. */
export class TrendingPanel {
  readonly panel: Panel;
  private readonly rows: HTMLTableSectionElement;
  /** Sparklines are kept per topic across answers, so a row that moves keeps its chart. */
  private readonly sparklines = new Map<string, { cell: HTMLElement; chart: Sparkline }>();
  private data?: TrendingData;

  constructor(
    readonly window: TrendingWindow,
    private readonly histories: TopicHistories,
  ) {
    this.panel = new Panel(`trending-${window}`, `Last ${window.replace('m', ' min')}`, undefined, 'trending');
    const { element, rows } = table([
      { label: '#', numeric: true },
      { label: 'Topic' },
      { label: 'Score', numeric: true },
      { label: `Score, last ${HISTORY_MINUTES[window] ?? 60} min` },
    ]);
    this.rows = rows;
    this.panel.body.append(element);
  }

  render(data: TrendingData): void {
    this.data = data;
    const topics = data.topics.slice(0, TOPICS_SHOWN);
    this.histories.want(
      this.window,
      topics.map((t) => t.topic),
      HISTORY_MINUTES[this.window] ?? 60,
    );
    // Charts of topics no longer listed are dropped (their canvases with them).
    const listed = new Set(topics.map((t) => t.topic));
    for (const name of [...this.sparklines.keys()]) if (!listed.has(name)) this.sparklines.delete(name);
    if (topics.length === 0) {
      this.rows.replaceChildren(emptyRow(4, 'No topics in this window yet.'));
      return;
    }
    this.rows.replaceChildren(
      ...topics.map((topic) =>
        h(
          'tr',
          { 'data-topic': topic.topic },
          h('td', { class: 'num rank' }, topic.rank),
          h(
            'td',
            { class: 'topic' },
            h('span', { class: 'topic-name' }, hashtag(topic.topic)),
            h('span', { class: 'why', title: formula(topic) }, explainTopic(topic)),
          ),
          h('td', { class: 'num score', title: formula(topic) }, formatDecimal(topic.score)),
          this.sparklineCell(topic),
        ),
      ),
    );
    for (const topic of topics) this.drawSparkline(topic.topic);
  }

  /** Redraws one topic's sparkline, when its history arrived. */
  drawSparkline(topicName: string): void {
    const entry = this.sparklines.get(topicName);
    const topic = this.data?.topics.find((t) => t.topic === topicName);
    if (!entry || !topic) return;
    const series = this.histories.series(this.window, topicName);
    entry.cell.classList.toggle('no-history', series === 'failed');
    entry.cell.title = series === 'failed' ? 'History unavailable right now' : '';
    const base = series === null || series === 'failed' ? { times: [], scores: [] } : series;
    entry.chart.update(withLatest(base, this.data!.window_end, topic.score));
  }

  private sparklineCell(topic: TrendingTopic): HTMLElement {
    let entry = this.sparklines.get(topic.topic);
    if (!entry) {
      const cell = h('td', { class: 'spark', 'aria-label': `Score of ${hashtag(topic.topic)} over time` });
      entry = { cell, chart: new Sparkline(cell) };
      this.sparklines.set(topic.topic, entry);
    }
    return entry.cell;
  }
}
