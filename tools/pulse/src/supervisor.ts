import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PulseError, say } from './console';
import { isPortFree, sleep, startTicks, stopProcessGroup, tailFile, waitUntil } from './processes';
import type { ServiceSpec } from './services/service';
import type { PlatformState } from './state';

interface Running {
  spec: ServiceSpec;
  child: ChildProcess;
  restarts: number;
  stopping: boolean;
  startTicks?: number;
}

const MAX_RESTARTS = 3;

/**
 * Starts services, waits for each to be healthy, restarts one that dies, and stops them all
 * in reverse order. Every service runs in its own process group so a stop reaches its children.
 */
export class Supervisor {
  private readonly running = new Map<string, Running>();
  private readonly order: string[] = [];
  private stopped = false;
  readonly logDir: string;

  constructor(
    stateDir: string,
    private readonly onChange: () => void = () => {},
    private readonly options: { restartOnExit: boolean } = { restartOnExit: true },
  ) {
    this.logDir = join(stateDir, 'logs');
    mkdirSync(this.logDir, { recursive: true });
  }

  /** Starts a group of independent services together and resolves once all are healthy. */
  async startTogether(specs: ServiceSpec[]): Promise<void> {
    for (const spec of specs) await this.checkPorts(spec);
    await Promise.all(specs.map(async (spec) => spec.prepare?.()));
    for (const spec of specs) await this.spawnService(spec);
    await Promise.all(specs.map((spec) => this.awaitHealthy(spec)));
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    for (const name of [...this.order].reverse()) {
      const entry = this.running.get(name);
      if (!entry) continue;
      entry.stopping = true;
      if (entry.child.pid) {
        say.step(`stopping ${name}`);
        await stopProcessGroup(entry.child.pid, entry.spec.stopTimeoutMs);
      }
      this.running.delete(name);
      this.onChange();
    }
  }

  snapshot(): PlatformState['services'] {
    const services: PlatformState['services'] = {};
    for (const name of this.order) {
      const entry = this.running.get(name);
      if (!entry) continue;
      services[name] = {
        pid: entry.child.pid ?? 0,
        startTicks: entry.startTicks,
        group: entry.spec.group,
        ports: entry.spec.ports,
        url: entry.spec.url,
        version: entry.spec.version,
        log: this.logFile(name),
      };
    }
    return services;
  }

  logFile(name: string): string {
    return join(this.logDir, `${name}.log`);
  }

  private async checkPorts(spec: ServiceSpec): Promise<void> {
    for (const port of spec.ports) {
      if (!(await isPortFree(port))) {
        throw new PulseError(
          `port ${port} (${spec.name}) is already in use by another process.`,
          `stop that process (see: ss -ltnp 'sport = :${port}') or choose another port through the environment`,
        );
      }
    }
  }

  private async spawnService(spec: ServiceSpec): Promise<void> {
    const { command, args, env, cwd } = await spec.command();
    const logFd = openSync(this.logFile(spec.name), 'a');
    writeSync(logFd, `\n=== ${new Date().toISOString()} pulse starts ${spec.name}: ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, {
      env: env ?? process.env,
      cwd,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    closeSync(logFd);
    const previous = this.running.get(spec.name);
    const entry: Running = {
      spec,
      child,
      restarts: previous?.restarts ?? 0,
      stopping: false,
      startTicks: child.pid ? startTicks(child.pid) : undefined,
    };
    if (!previous) this.order.push(spec.name);
    this.running.set(spec.name, entry);
    child.on('exit', (code, signal) => void this.onExit(entry, code, signal));
    this.onChange();
  }

  private async awaitHealthy(spec: ServiceSpec): Promise<void> {
    const entry = () => this.running.get(spec.name);
    const exited = () => entry()?.child.exitCode !== null || entry()?.child.signalCode !== null;
    const ok = await waitUntil(async () => exited() || (await spec.healthy()), spec.startTimeoutMs, 300);
    if (ok && !exited()) {
      say.ok(`${spec.name} ${spec.version} is up${spec.url ? ` at ${spec.url}` : ''}`);
      return;
    }
    const why = exited() ? 'exited during start-up' : `was not healthy within ${spec.startTimeoutMs / 1000} s`;
    throw new PulseError(
      `${spec.name} ${why}. Last lines of ${this.logFile(spec.name)}:\n${tailFile(this.logFile(spec.name), 20)}`,
    );
  }

  /** A service that dies on its own is restarted a few times with a growing pause. */
  private async onExit(entry: Running, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (entry.stopping || this.stopped || this.running.get(entry.spec.name) !== entry) return;
    if (!this.options.restartOnExit) return;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    if (entry.restarts >= MAX_RESTARTS) {
      say.fail(
        `${entry.spec.name} stopped (${how}) and was restarted ${MAX_RESTARTS} times; giving up. See ${this.logFile(entry.spec.name)}`,
      );
      this.running.delete(entry.spec.name);
      this.onChange();
      return;
    }
    entry.restarts += 1;
    say.warn(`${entry.spec.name} stopped (${how}); restart ${entry.restarts} of ${MAX_RESTARTS}`);
    await sleep(1000 * 2 ** (entry.restarts - 1));
    if (this.stopped) return;
    try {
      await this.spawnService(entry.spec);
      await this.awaitHealthy(entry.spec);
    } catch (error) {
      say.fail((error as Error).message);
    }
  }
}
