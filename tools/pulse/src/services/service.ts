/** What the supervisor needs to know to start, check and stop one local service. */
export interface ServiceSpec {
  /** Unique name, e.g. `kafka-1`; also the log file's name. */
  name: string;
  /** Family for `pulse logs <group>` and status, e.g. `kafka`. */
  group: string;
  /** Ports this service binds; all must be free before it starts. */
  ports: number[];
  /** Where a person reaches it, printed once everything is up. */
  url?: string;
  version: string;
  /** Writes config files, formats storage: anything needed before the process starts. */
  prepare?: () => Promise<void>;
  command: () => Promise<{ command: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string }>;
  healthy: () => Promise<boolean>;
  startTimeoutMs: number;
  /** Grace between SIGTERM and SIGKILL. */
  stopTimeoutMs: number;
}
