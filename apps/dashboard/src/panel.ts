import { h } from './dom';
import type { PanelStatus } from './freshness';

/**
 * A panel's frame: title, a badge saying whether its data is live, stale or its source down, the
 * data's age (updated every second) and, when something is wrong, a sentence saying what.
 */
export class Panel {
  readonly element: HTMLElement;
  readonly body: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly age: HTMLElement;
  private readonly note: HTMLElement;

  constructor(id: string, title: string, subtitle?: string, className = '') {
    this.badge = h('span', { class: 'badge badge-loading' }, 'Loading');
    this.age = h('span', { class: 'age' });
    this.note = h('p', { class: 'note', role: 'status', hidden: true });
    this.body = h('div', { class: 'panel-body' });
    this.element = h(
      'article',
      { class: `panel ${className}`.trim(), 'data-panel': id, 'data-state': 'loading', 'aria-label': title },
      h(
        'header',
        { class: 'panel-head' },
        h('div', {}, h('h3', {}, title), subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
        h('div', { class: 'freshness' }, this.badge, this.age),
      ),
      this.note,
      this.body,
    );
  }

  setStatus(status: PanelStatus): void {
    this.element.dataset.state = status.state;
    this.badge.className = `badge badge-${status.state}`;
    if (this.badge.textContent !== status.badge) this.badge.textContent = status.badge;
    if (this.age.textContent !== status.age) this.age.textContent = status.age;
    this.note.hidden = status.note === null;
    if (status.note !== null && this.note.textContent !== status.note) this.note.textContent = status.note;
  }
}

/** A headline number with its label; data-metric names it for tests and screen readers alike. */
export function tile(metric: string, label: string): { element: HTMLElement; set: (text: string) => void } {
  const value = h('span', { class: 'tile-value' }, '–');
  return {
    element: h('div', { class: 'tile', 'data-metric': metric }, value, h('span', { class: 'tile-label' }, label)),
    set: (text) => {
      if (value.textContent !== text) value.textContent = text;
    },
  };
}

/** A table with a header row; rows are replaced whole on each answer. */
export function table(columns: { label: string; numeric?: boolean }[]): {
  element: HTMLElement;
  rows: HTMLTableSectionElement;
} {
  const rows = h('tbody');
  const head = h(
    'tr',
    {},
    ...columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : undefined }, c.label)),
  );
  return { element: h('div', { class: 'table-wrap' }, h('table', {}, h('thead', {}, head), rows)), rows };
}

/** "Nothing yet" inside a table body, spanning its columns. */
export const emptyRow = (columns: number, text: string) =>
  h('tr', { class: 'empty' }, h('td', { colspan: columns }, text));
