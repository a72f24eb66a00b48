import { TimeChart } from '../charts';
import { h } from '../dom';
import { formatCount, formatMoney, formatMultiple, formatPercent } from '../format';
import { Panel, emptyRow, table, tile } from '../panel';
import { adsByGroup, adsTotals, periods, type MoneyTotal } from '../series';
import type { AdsCampaign, AdsCampaignsData, AdsPerformanceData } from '../types';

const BLUE = '#2563eb';
const ORANGE = '#ea580c';

/** Money per currency on one line: amounts of two currencies are never added. */
const moneyLine = (money: MoneyTotal[], pick: (m: MoneyTotal) => string) =>
  money.length === 0 ? '–' : money.map(pick).join(' · ');

/** Money per currency, one currency a line, in a table cell. */
const moneyLines = (money: MoneyTotal[], pick: (m: MoneyTotal) => string) =>
  h(
    'td',
    { class: 'num' },
    money.length === 0 ? '–' : h('span', { class: 'lines' }, ...money.map((m) => h('span', {}, pick(m)))),
  );

/** Impressions and clicks per minute over the last hour, with the hour's totals. */
export class AdsHourPanel {
  readonly panel = new Panel('ads-last-hour', 'Last hour', 'Impressions and clicks per minute');
  private readonly tiles = {
    impressions: tile('impressions', 'impressions'),
    clicks: tile('clicks', 'clicks'),
    ctr: tile('ctr', 'click-through rate'),
    conversions: tile('conversions', 'conversions'),
    spend: tile('spend', 'spend'),
  };
  private readonly chart: TimeChart;

  constructor() {
    const container = h('div', { class: 'chart', role: 'img', 'aria-label': 'Impressions and clicks per minute' });
    this.panel.body.append(h('div', { class: 'tiles' }, ...Object.values(this.tiles).map((t) => t.element)), container);
    this.chart = new TimeChart(container, [
      { label: 'Impressions', color: BLUE, format: formatCount, whole: true },
      { label: 'Clicks', color: ORANGE, scale: 'y2', format: formatCount, whole: true },
    ]);
  }

  render(data: AdsPerformanceData, now: number): void {
    const totals = adsTotals(data.points);
    this.tiles.impressions.set(formatCount(totals.impressions));
    this.tiles.clicks.set(formatCount(totals.clicks));
    this.tiles.ctr.set(formatPercent(totals.ctr));
    this.tiles.conversions.set(formatCount(totals.conversions));
    this.tiles.spend.set(moneyLine(totals.money, (m) => formatMoney(m.spendMicros, m.currency)));
    const { times, points } = periods(data.from, data.to, 60, data.points, now);
    this.chart.update(times, [points.map((p) => p?.impressions ?? 0), points.map((p) => p?.clicks ?? 0)]);
  }
}

/** The campaigns with the most spend, per currency, with their ratios. */
export class CampaignsPanel {
  readonly panel = new Panel('ads-campaigns', 'Campaigns', 'Most spend in the last 24 hours, per currency', 'wide');
  private readonly rows: HTMLTableSectionElement;

  constructor(private readonly perCurrency = 8) {
    const { element, rows } = table([
      { label: 'Campaign' },
      { label: 'Impressions', numeric: true },
      { label: 'Clicks', numeric: true },
      { label: 'CTR', numeric: true },
      { label: 'Conversions', numeric: true },
      { label: 'Spend', numeric: true },
      { label: 'CPA', numeric: true },
      { label: 'ROAS', numeric: true },
    ]);
    this.rows = rows;
    this.panel.body.append(element);
  }

  render(data: AdsCampaignsData): void {
    const shown = data.campaigns.filter((c) => c.rank <= this.perCurrency);
    if (shown.length === 0) {
      this.rows.replaceChildren(emptyRow(8, 'No campaign spent anything in the last 24 hours.'));
      return;
    }
    // Ranked within each currency (spends of two currencies are not compared): one group each.
    const currencies = [...new Set(shown.map((c) => c.currency))];
    this.rows.replaceChildren(
      ...currencies.flatMap((currency) => [
        h('tr', { class: 'group' }, h('th', { colspan: 8, scope: 'rowgroup' }, `Spend in ${currency}`)),
        ...shown.filter((c) => c.currency === currency).map((c) => this.row(c)),
      ]),
    );
  }

  private row(c: AdsCampaign): HTMLElement {
    return h(
      'tr',
      { 'data-campaign': c.campaign_id, 'data-currency': c.currency },
      h('td', {}, c.campaign_id),
      h('td', { class: 'num' }, formatCount(c.impressions)),
      h('td', { class: 'num' }, formatCount(c.clicks)),
      h('td', { class: 'num' }, formatPercent(c.ctr)),
      h('td', { class: 'num' }, formatCount(c.conversions)),
      h('td', { class: 'num' }, formatMoney(c.spend_micros, c.currency)),
      h('td', { class: 'num' }, formatMoney(c.cpa_micros, c.currency)),
      h('td', { class: 'num' }, formatMultiple(c.roas)),
    );
  }
}

/** Ad performance of the last 24 hours per device: counts summed, ratios divided from the sums. */
export class AdsSegmentPanel {
  readonly panel = new Panel('ads-by-device', 'By device', 'Last 24 hours');
  private readonly rows: HTMLTableSectionElement;

  constructor() {
    const { element, rows } = table([
      { label: 'Device' },
      { label: 'Impressions', numeric: true },
      { label: 'Clicks', numeric: true },
      { label: 'CTR', numeric: true },
      { label: 'Conversions', numeric: true },
      { label: 'Spend', numeric: true },
      { label: 'ROAS', numeric: true },
    ]);
    this.rows = rows;
    this.panel.body.append(element);
  }

  render(data: AdsPerformanceData): void {
    const groups = adsByGroup(data.points, 'device');
    if (groups.length === 0) {
      this.rows.replaceChildren(emptyRow(7, 'No ad events in the last 24 hours.'));
      return;
    }
    this.rows.replaceChildren(
      ...groups.map(({ group, totals }) =>
        h(
          'tr',
          { 'data-group': group },
          h('td', {}, group),
          h('td', { class: 'num' }, formatCount(totals.impressions)),
          h('td', { class: 'num' }, formatCount(totals.clicks)),
          h('td', { class: 'num' }, formatPercent(totals.ctr)),
          h('td', { class: 'num' }, formatCount(totals.conversions)),
          moneyLines(totals.money, (m) => formatMoney(m.spendMicros, m.currency)),
          moneyLines(
            totals.money,
            (m) => `${formatMultiple(m.roas)}${totals.money.length > 1 ? ` ${m.currency}` : ''}`,
          ),
        ),
      ),
    );
  }
}
