import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { createDashboardApi } from './api';
import { startDashboard } from './dashboard';
import type { FetchFailure } from './freshness';

/** Where the key is kept in this browser once entered. */
const KEY_STORAGE = 'social-pulse.api-key';

const CONNECTION_TEXT = {
  connecting: 'Connecting to live updates…',
  live: 'Live: panels update as new data arrives',
  paused: 'Live updates paused (the API lost Redis): panels are re-read as their data ages',
  reconnecting: 'Live updates lost, reconnecting: panels are re-read as their data ages',
} as const;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * A key given in the address (`#key=…`) is kept and removed from the address at once, so it is not
 * left in the history or a screenshot; otherwise the one kept from before.
 */
function takeKey(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromHash) {
    localStorage.setItem(KEY_STORAGE, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return localStorage.getItem(KEY_STORAGE);
}

function askForKey(message: string | null): void {
  byId('dashboard').hidden = true;
  byId('connection').hidden = true;
  byId('change-key').hidden = true;
  const form = byId<HTMLFormElement>('key-form');
  form.hidden = false;
  const error = byId('key-error');
  error.hidden = message === null;
  error.textContent = message ?? '';
  byId<HTMLInputElement>('key-input').focus();
}

const refusal = (failure: FetchFailure) =>
  failure.kind === 'forbidden'
    ? `This key may not read the dashboard (${failure.detail}). Enter a dashboard key.`
    : 'This key was not accepted. Enter your dashboard key.';

function open(key: string): void {
  byId('key-form').hidden = true;
  byId('dashboard').hidden = false;
  const connection = byId('connection');
  connection.hidden = false;
  byId('change-key').hidden = false;
  startDashboard(byId('dashboard'), createDashboardApi(key), {
    refused: (failure) => {
      localStorage.removeItem(KEY_STORAGE);
      askForKey(refusal(failure));
    },
    connection: (state) => {
      connection.dataset.state = state;
      connection.textContent = CONNECTION_TEXT[state];
    },
  });
}

function run(): void {
  byId<HTMLFormElement>('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = byId<HTMLInputElement>('key-input').value.trim();
    if (!key) return;
    localStorage.setItem(KEY_STORAGE, key);
    open(key);
  });
  byId('change-key').addEventListener('click', () => {
    localStorage.removeItem(KEY_STORAGE);
    location.reload();
  });
  const key = takeKey();
  if (key) open(key);
  else askForKey(null);
}

run();
