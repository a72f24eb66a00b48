import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** A thin client for the Flink REST endpoints the deploy activities use. */
export class FlinkRest {
  constructor(private readonly baseUrl: string) {}

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    if (!res.ok)
      throw new FlinkRestError(`Flink ${method} ${path} answered ${res.status}: ${firstError(text)}`, errorsOf(text));
    return (text ? JSON.parse(text) : {}) as T;
  }

  async uploadJar(path: string, name = basename(path)): Promise<string> {
    const form = new FormData();
    form.append('jarfile', new Blob([await readFile(path)], { type: 'application/x-java-archive' }), name);
    const res = await fetch(`${this.baseUrl}/jars/upload`, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Flink jar upload answered ${res.status}: ${firstError(text)}`);
    return (JSON.parse(text) as { filename: string }).filename.split('/').pop()!;
  }
}

/** A refusal by Flink's REST API: the message has the first lines, `errors` the whole stack traces. */
export class FlinkRestError extends Error {
  constructor(
    message: string,
    readonly errors: string[],
  ) {
    super(message);
    this.name = 'FlinkRestError';
  }
}

/** Flink puts Java stack traces in `errors`. */
function errorsOf(text: string): string[] {
  try {
    return (JSON.parse(text) as { errors?: string[] }).errors ?? [];
  } catch {
    return [];
  }
}

/** The first lines of Flink's stack traces, which say what went wrong. */
function firstError(text: string): string {
  return (
    errorsOf(text)
      .map((e) => e.split('\n').slice(0, 3).join(' | '))
      .join('; ')
      .slice(0, 1500) || text.slice(0, 500)
  );
}

export interface JobOverview {
  jid: string;
  name: string;
  state: string;
  'start-time': number;
}
