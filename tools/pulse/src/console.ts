/** Short status lines for people watching a terminal; services' own output goes to log files. */

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

export const say = {
  step: (text: string) => console.log(`${paint(36, '›')} ${text}`),
  ok: (text: string) => console.log(`${paint(32, '✓')} ${text}`),
  warn: (text: string) => console.log(`${paint(33, '!')} ${text}`),
  fail: (text: string) => console.error(`${paint(31, '✗')} ${text}`),
  plain: (text: string) => console.log(text),
};

/** Runs a long step with a start line and an end line carrying its duration. */
export async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  say.step(`${label}…`);
  const result = await work();
  say.ok(`${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

/** An error meant for a person: what failed and what to do about it. No stack trace. */
export class PulseError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PulseError';
  }
}
