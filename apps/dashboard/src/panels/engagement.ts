import { TimeChart } from '../charts';
import { h } from '../dom';
import { formatCount, formatDecimal, formatDuration, formatDurationShort, formatPercent } from '../format';
import { Panel, emptyRow, table, tile } from '../panel';
import { engagementBreakdown, periods } from '../series';
import type { EngagementSummaryData, LiveEngagementData } from '../types';

const BLUE = '#2563eb';
const ORANGE = '#ea580c';
const GREEN = '#16a34a';

/** Who is here now: sessions in progress and the last five minutes. */
export class LiveEngagementPanel {
  readonly panel = new Panel('engagement-live', 'Right now', 'Visitors with a session in progress', 'wide');
  private readonly tiles = {
    activeUsers: tile('active_users', 'active users'),
    activeSessions: tile('active_sessions', 'sessions in progress'),
    recentUsers: tile('users_last_5_minutes', 'visitors, last 5 min'),
    recentEvents: tile('events_last_5_minutes', 'events, last 5 min'),
  };

  constructor() {
    this.panel.body.append(h('div', { class: 'tiles' }, ...Object.values(this.tiles).map((t) => t.element)));
  }

  render(data: LiveEngagementData): void {
    this.tiles.activeUsers.set(formatCount(data.active_users));
    this.tiles.activeSessions.set(formatCount(data.active_sessions));
    this.tiles.recentUsers.set(formatCount(data.users_last_5_minutes));
    this.tiles.recentEvents.set(formatCount(data.events_last_5_minutes));
  }
}

/** Visitors and sessions per minute over the last hour. */
export class EngagementHourPanel {
  readonly panel = new Panel('engagement-last-hour', 'Last hour', 'Visitors and sessions per minute');
  private readonly chart: TimeChart;

  constructor() {
    const container = h('div', { class: 'chart', role: 'img', 'aria-label': 'Visitors and sessions per minute' });
    this.panel.body.append(container);
    this.chart = new TimeChart(container, [
      { label: 'Visitors', color: BLUE, format: formatCount, whole: true },
      { label: 'Sessions', color: ORANGE, format: formatCount, whole: true },
    ]);
  }

  render(data: EngagementSummaryData, now: number): void {
    const { times, points } = periods(data.from, data.to, 60, data.points, now);
    this.chart.update(times, [points.map((p) => p?.active_users ?? 0), points.map((p) => p?.sessions ?? 0)]);
  }
}

/** Session length and bounce rate per hour over the last day, with the latest hour's figures. */
export class EngagementDayPanel {
  readonly panel = new Panel('engagement-last-day', 'Last 24 hours', 'Session length and bounce rate per hour');
  private readonly tiles = {
    median: tile('session_duration_p50', 'median session, latest hour'),
    bounce: tile('bounce_rate', 'bounce rate, 24 h'),
    sessions: tile('sessions_started', 'sessions started, 24 h'),
  };
  private readonly chart: TimeChart;

  constructor() {
    const container = h('div', {
      class: 'chart',
      role: 'img',
      'aria-label': 'Session length and bounce rate per hour',
    });
    this.panel.body.append(h('div', { class: 'tiles' }, ...Object.values(this.tiles).map((t) => t.element)), container);
    this.chart = new TimeChart(container, [
      { label: 'Median session', color: BLUE, format: formatDuration, axisFormat: formatDurationShort },
      { label: 'Bounce rate', color: GREEN, scale: 'y2', format: formatPercent },
    ]);
  }

  render(data: EngagementSummaryData, now: number): void {
    const { times, points } = periods(data.from, data.to, 3600, data.points, now);
    this.chart.update(times, [
      points.map((p) => p?.session_duration_p50_ms ?? null),
      points.map((p) => p?.bounce_rate ?? null),
    ]);
    const latest = [...data.points].reverse().find((p) => (p.sessions_started ?? 0) > 0);
    const [total] = engagementBreakdown(data.points.map((p) => ({ ...p, group: null })));
    this.tiles.median.set(formatDuration(latest?.session_duration_p50_ms));
    this.tiles.bounce.set(formatPercent(total?.bounceRate));
    this.tiles.sessions.set(formatCount(total?.sessions ?? 0));
  }
}

/** Sessions of the last 24 hours per device or country, with their share and rates. */
export class EngagementBreakdownPanel {
  readonly panel: Panel;
  private readonly rows: HTMLTableSectionElement;

  constructor(
    dimension: 'device' | 'country',
    private readonly limit = 8,
  ) {
    const label = dimension === 'device' ? 'Device' : 'Country';
    this.panel = new Panel(`engagement-by-${dimension}`, `By ${dimension}`, 'Sessions started in the last 24 hours');
    const { element, rows } = table([
      { label },
      { label: 'Sessions', numeric: true },
      { label: 'Share' },
      { label: 'Bounce rate', numeric: true },
      { label: 'Events / session', numeric: true },
    ]);
    this.rows = rows;
    this.panel.body.append(element);
  }

  render(data: EngagementSummaryData): void {
    const rows = engagementBreakdown(data.points).filter((row) => row.sessions > 0);
    if (rows.length === 0) {
      this.rows.replaceChildren(emptyRow(5, 'No sessions in the last 24 hours.'));
      return;
    }
    this.rows.replaceChildren(
      ...rows
        .slice(0, this.limit)
        .map((row) =>
          h(
            'tr',
            { 'data-group': row.group },
            h('td', {}, row.group),
            h('td', { class: 'num' }, formatCount(row.sessions)),
            h(
              'td',
              { class: 'share', title: formatPercent(row.share) },
              h('meter', { min: 0, max: 1, value: row.share.toFixed(4) }),
              h('span', {}, formatPercent(row.share)),
            ),
            h('td', { class: 'num' }, formatPercent(row.bounceRate)),
            h('td', { class: 'num' }, formatDecimal(row.eventsPerSession)),
          ),
        ),
    );
  }
}
