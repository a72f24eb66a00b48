import type { ErasureRedis } from '../erase-user.activities';

/**
 * A Redis keyspace for component tests of the activities that delete keys: the commands they send
 * (SCAN with MATCH and COUNT, UNLINK) over a set of keys, each recorded. SCAN walks the keys in
 * order a few at a time, as Redis does a few slots at a time, so a caller that stops at the first
 * page or ignores the cursor misses keys; a key present for the whole walk is returned once, though
 * keys are unlinked between pages (Redis's guarantee). A command it does not know (KEYS) throws.
 */
export class FakeRedisKeyspace {
  readonly keys = new Set<string>();
  /** Every command, as sent: `['scan', '0', 'MATCH', 'p*', 'COUNT', 1000]`. */
  readonly commands: unknown[][] = [];
  /** Connections opened, and disconnected. */
  opened = 0;
  disconnected = 0;
  private readonly cursors = new Map<string, string>();
  private readonly failing = new Map<string, Error>();

  /** Keys SCAN examines per call at most, whatever COUNT asks (COUNT is a hint to Redis too). */
  constructor(private readonly scanStep = 3) {}

  seed(...keys: string[]): this {
    for (const key of keys) this.keys.add(key);
    return this;
  }

  /** Makes every later `command` ('scan', 'unlink') fail with `error`, as a Redis error reply or a lost connection does. */
  failOn(command: 'scan' | 'unlink', error: Error): this {
    this.failing.set(command, error);
    return this;
  }

  /** A connection as the erasure opens one: the one place the fake is cast to ioredis's type. */
  connect(): ErasureRedis {
    this.opened++;
    const connection = {
      scan: async (cursor: string, ...args: (string | number)[]) => this.scan(cursor, args),
      unlink: async (...keys: string[]) => this.unlink(keys),
      disconnect: () => {
        this.disconnected++;
      },
      on: () => connection,
    };
    return connection as unknown as ErasureRedis;
  }

  private scan(cursor: string, args: (string | number)[]): [string, string[]] {
    this.commands.push(['scan', cursor, ...args]);
    this.failIfAsked('scan');
    const option = (name: string) => {
      const at = args.findIndex((a) => String(a).toUpperCase() === name);
      return at < 0 ? undefined : args[at + 1];
    };
    const pattern = globRegExp(String(option('MATCH') ?? '*'));
    const count = Math.min(Number(option('COUNT') ?? 10), this.scanStep);
    const after = cursor === '0' ? undefined : this.cursors.get(cursor);
    if (cursor !== '0' && after === undefined) throw new Error(`ERR invalid cursor ${cursor}`);
    const examined = [...this.keys]
      .sort()
      .filter((key) => after === undefined || key > after)
      .slice(0, count);
    const last = examined.at(-1);
    const remaining = last !== undefined && [...this.keys].some((key) => key > last);
    let next = '0';
    if (remaining) {
      next = String(this.cursors.size + 1);
      this.cursors.set(next, last);
    }
    return [next, examined.filter((key) => pattern.test(key))];
  }

  private unlink(keys: string[]): number {
    this.commands.push(['unlink', ...keys]);
    this.failIfAsked('unlink');
    return keys.filter((key) => this.keys.delete(key)).length;
  }

  private failIfAsked(command: string): void {
    const error = this.failing.get(command);
    if (error) throw error;
  }
}

/** Redis's glob (MATCH, KEYS) as a RegExp: `*`, `?`, `[...]` with `^` and ranges, `\` quoting the next character. */
export function globRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length) source += escape(glob[++i]);
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        source += escape(c);
        continue;
      }
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith('^');
      const members = (negated ? body.slice(1) : body).replace(/\\(.)/g, '$1');
      source += `[${negated ? '^' : ''}${members.replace(/[\]\\^]/g, '\\$&')}]`;
      i = end;
    } else source += escape(c);
  }
  return new RegExp(`^${source}$`);
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
