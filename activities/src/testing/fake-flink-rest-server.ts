import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FLINK_JOBS } from '@social-pulse/shared';

/**
 * A fake Flink JobManager REST API for component tests: a real HTTP server on 127.0.0.1 and an
 * ephemeral port, answering the endpoints the deploy and health activities call with the bodies
 * Flink 2.2 sends (field names checked against flink-runtime 2.2.0). It keeps jars, jobs,
 * savepoints and checkpoints, records every request, and can be scripted to fail or hold calls.
 *
 * Time does not pass on its own: a job moves one step through its scripted states per status
 * poll (GET /jobs/:id), a savepoint completes after a number of status polls, and a checkpoint
 * after a number of checkpoint polls. Tests thereby wait on conditions, never on clocks.
 */

export type JobState =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING';

const TERMINAL: ReadonlySet<JobState> = new Set(['FAILED', 'CANCELED', 'FINISHED']);

export interface RecordedRequest {
  method: string;
  /** The path without its query string. */
  path: string;
  query: Record<string, string>;
  contentType?: string;
  /** The JSON body, when one was sent. */
  body?: unknown;
  /** The file of a jar upload, as it arrived. */
  upload?: { field: string; filename: string; type: string; size: number; sha256: string };
}

export interface FakeJar {
  id: string;
  name: string;
  uploaded: number;
  size: number;
  sha256: string;
}

/** How a submitted job behaves. */
export interface JobScript {
  /** The states it goes through, one per status poll (GET /jobs/:id); it stays in the last. Default: RUNNING. */
  states?: JobState[];
  /** Checkpoint polls answered without a completed checkpoint (while RUNNING); null: never completes. Default 0. */
  checkpointAfterPolls?: number | null;
  /** The Java stack trace recorded in the exception history when the job reaches FAILED. */
  failure?: string;
  /**
   * Operator ids (32 hex digits) the savepoint has state for and the submitted program lacks. A
   * start from a savepoint then fails in initialisation, as Flink does, unless the run request
   * allows non-restored state; then that state is dropped and the job behaves as scripted.
   */
  unmappedOperators?: string[];
}

/** How the next savepoint (a stop-with-savepoint or a savepoint of a running job) goes. */
export interface SavepointScript {
  /** Status polls answered IN_PROGRESS before the operation completes; null: never completes. Default 0. */
  pollsBeforeDone?: number | null;
  /** Complete with this failure (a Java stack trace) instead of a savepoint; the job keeps running, as in Flink. */
  failure?: string;
}

export interface FakeJob {
  jid: string;
  name: string;
  state: JobState;
  startTime: number;
  endTime: number;
  timestamps: Partial<Record<JobState, number>>;
  /** What /jars/:jarid/run was asked, for jobs submitted through it. */
  submitted?: {
    jarId: string;
    entryClass?: string;
    programArgsList?: string[];
    savepointPath?: string;
    allowNonRestoredState?: boolean;
  };
  script: Required<Omit<JobScript, 'failure' | 'unmappedOperators'>> & { failure?: string };
  statusPolls: number;
  checkpointPolls: number;
  checkpoint: { id: number; trigger_timestamp: number; latest_ack_timestamp: number; external_path: string } | null;
  exceptions: { exceptionName: string; stacktrace: string; timestamp: number }[];
  /** The job's parallelism (the run request's, default 1): each of its vertices runs at it, in one slot sharing group. */
  parallelism: number;
  /** What GET /jobs/:id reports as the job's max parallelism (Flink: -1 when the program sets none). */
  maxParallelism: number;
  /** Its global job parameters (GET /jobs/:id/config `user-config`), from the run request's flinkConfiguration. */
  userConfig: Record<string, string>;
  vertices: FakeVertex[];
  /** The savepoint it restored from (the run request's), or one a test sets on an added job. */
  restoredFrom?: string;
  /** Its latest completed savepoint. */
  lastSavepoint?: { id: number; external_path: string; latest_ack_timestamp: number };
}

/** A job vertex: its name, and its metrics per subtask (as GET …/subtasks/metrics aggregates them). */
export interface FakeVertex {
  id: string;
  name: string;
  metrics: Record<string, number[]>;
}

export interface FakeSavepoint {
  triggerId: string;
  jobId: string;
  /** A stop-with-savepoint (POST /jobs/:id/stop), or a savepoint of a job that keeps running (POST /jobs/:id/savepoints). */
  kind: 'stop' | 'trigger';
  targetDirectory: string;
  /** Status polls still to answer IN_PROGRESS; null: never completes. */
  pollsLeft: number | null;
  done: boolean;
  /** The savepoint's location, once it completed. */
  location?: string;
  /** The stack trace the operation fails (or failed) with. */
  failure?: string;
}

export interface FakeFlinkOptions {
  /** The job name Flink reports for each entry class; defaults to the platform's FLINK_JOBS. */
  jobNames?: Record<string, string>;
  /** Write `<savepoint>/_metadata` to disk when a savepoint completes, as Flink does on a shared disk. Default true. */
  writeSavepointFiles?: boolean;
}

interface Fault {
  method: string;
  path: string | RegExp;
  times: number;
  status: number;
  errors: string[];
}

interface Hold {
  method: string;
  path: string | RegExp;
  arrived: (request: RecordedRequest) => void;
  released: Promise<void>;
}

const UPLOAD_DIR = `/tmp/flink-web-${randomUUID()}/flink-web-upload`;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const trace = (head: string, frame: string) =>
  `${head}\n\tat ${frame}\n\tat java.base/java.lang.Thread.run(Thread.java:1583)`;

/** The request bodies Flink maps strictly: an unknown field is a 400, so typos in the activities show. */
const REQUEST_FIELDS: Record<string, { name: string; fields: string[] }> = {
  run: {
    name: 'JarRunRequestBody',
    fields: [
      'entryClass',
      'programArgsList',
      'parallelism',
      'jobId',
      'flinkConfiguration',
      'allowNonRestoredState',
      'savepointPath',
      'restoreMode',
      'claimMode',
    ],
  },
  stop: { name: 'StopWithSavepointRequestBody', fields: ['targetDirectory', 'formatType', 'drain', 'triggerId'] },
  savepoint: {
    name: 'SavepointTriggerRequestBody',
    fields: ['target-directory', 'cancel-job', 'formatType', 'triggerId'],
  },
};

/** The `user-config` Flink shows for a job started with this `flinkConfiguration` (a run request's). */
export function userConfigOf(flinkConfiguration: Record<string, string>): Record<string, string> {
  return parseFlinkMap(flinkConfiguration['pipeline.global-job-parameters']) ?? {};
}

/** The vertices of a job that a test does not describe: a Kafka source and a keyed operator chained to its sink. */
const DEFAULT_VERTICES = ['Source: events', 'process -> sink: Writer -> sink: Committer'];

export class FakeFlinkRestServer {
  readonly requests: RecordedRequest[] = [];
  readonly jars = new Map<string, FakeJar>();
  readonly jobs = new Map<string, FakeJob>();
  readonly savepoints: FakeSavepoint[] = [];
  /** What GET /overview reports about the cluster. */
  cluster = { taskmanagers: 1, slotsTotal: 4, flinkVersion: '2.2.0' };

  private readonly jobScripts: JobScript[] = [];
  private readonly savepointScripts: SavepointScript[] = [];
  private readonly faults: Fault[] = [];
  private readonly holds: Hold[] = [];
  private readonly releases = new Set<() => void>();
  private lastUpload = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: FakeFlinkOptions,
  ) {}

  static async start(options: FakeFlinkOptions = {}): Promise<FakeFlinkRestServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeFlinkRestServer(server, `http://127.0.0.1:${port}`, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake
        .handle(req, res)
        .catch((error: Error) => send(res, 500, { errors: ['Internal server error.', error.stack] }));
    });
    return fake;
  }

  async close(): Promise<void> {
    for (const release of this.releases) release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- state a test sets up -------------------------------------------------------------------

  /** A jar already on the cluster, e.g. the one the previous deploy uploaded. */
  addJar(name = 'social-pulse-jobs.jar', uploaded = this.nextUploadTime()): FakeJar {
    const jar = { id: `${randomUUID()}_${name}`, name, uploaded, size: 0, sha256: '' };
    this.jars.set(jar.id, jar);
    return jar;
  }

  /**
   * A job already on the cluster, e.g. the one a deploy replaces: optionally at a parallelism, with
   * global job parameters (`userConfig`, e.g. the tags the worker records), restored from a savepoint.
   */
  addJob(job: {
    name: string;
    state?: JobState;
    startTime?: number;
    jid?: string;
    script?: JobScript;
    parallelism?: number;
    maxParallelism?: number;
    userConfig?: Record<string, string>;
    restoredFrom?: string;
    vertices?: string[];
  }): FakeJob {
    const state = job.state ?? 'RUNNING';
    const created = this.createJob(job.name, { states: [state], ...job.script }, job.startTime, job.jid, {
      parallelism: job.parallelism,
      vertices: job.vertices,
    });
    if (job.maxParallelism !== undefined) created.maxParallelism = job.maxParallelism;
    if (job.userConfig) created.userConfig = { ...job.userConfig };
    created.restoredFrom = job.restoredFrom;
    return created;
  }

  /**
   * Sets metrics of a job's vertex (found by the start of its name): a number is every subtask's
   * value, a list one per subtask. Metrics not set are not listed, as Flink lists only what exists.
   */
  setVertexMetrics(jid: string, vertexName: string, metrics: Record<string, number | number[]>): void {
    const job = this.job(jid);
    const vertex = job.vertices.find((v) => v.name.startsWith(vertexName));
    if (!vertex) throw new Error(`job ${jid} has no vertex named ${vertexName}…`);
    for (const [id, value] of Object.entries(metrics)) {
      vertex.metrics[id] = Array.isArray(value) ? value : Array.from({ length: job.parallelism }, () => value);
    }
  }

  /** How the next job submitted through /jars/:jarid/run behaves (queued; default: RUNNING, checkpoints at once). */
  scriptNextJob(script: JobScript): void {
    this.jobScripts.push(script);
  }

  /** How the next stop-with-savepoint goes (queued; default: completes on the first status poll). */
  scriptNextSavepoint(script: SavepointScript): void {
    this.savepointScripts.push(script);
  }

  job(jid: string): FakeJob {
    const job = this.jobs.get(jid);
    if (!job) throw new Error(`the fake Flink has no job ${jid}`);
    return job;
  }

  setJobState(jid: string, state: JobState): void {
    const job = this.job(jid);
    job.script.states = [state];
    this.enter(job, state);
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Answers the next `times` matching requests with a Flink error body instead of handling them. */
  failNext(
    method: string,
    path: string | RegExp,
    {
      status = 500,
      errors = ['Internal server error.'],
      times = 1,
    }: { status?: number; errors?: string[]; times?: number } = {},
  ): void {
    this.faults.push({ method, path, status, errors, times });
  }

  /**
   * Holds the next matching request until released: `reached` resolves once it has arrived (and
   * is recorded), so a test can look at the caller while it waits on Flink.
   */
  hold(method: string, path: string | RegExp): { reached: Promise<RecordedRequest>; release: () => void } {
    let arrived!: (request: RecordedRequest) => void;
    let release!: () => void;
    const reached = new Promise<RecordedRequest>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.releases.add(release);
    this.holds.push({ method, path, arrived, released });
    return { reached, release };
  }

  /** The recorded requests with that method whose path matches. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && matches(path, r.path));
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const contentType = req.headers['content-type'];
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType,
    };
    if (raw.length > 0 && contentType?.startsWith('application/json')) request.body = JSON.parse(raw.toString());
    this.requests.push(request);

    const hold = this.holds.find((h) => h.method === request.method && matches(h.path, request.path));
    if (hold) {
      this.holds.splice(this.holds.indexOf(hold), 1);
      hold.arrived(request);
      await hold.released;
    }
    const fault = this.faults.find((f) => f.method === request.method && matches(f.path, request.path));
    if (fault) {
      if (--fault.times === 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return send(res, fault.status, { errors: fault.errors });
    }

    const [status, body] = await this.route(request, raw);
    send(res, status, body);
  }

  private async route(req: RecordedRequest, raw: Buffer): Promise<[number, unknown]> {
    const { method, path } = req;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/overview') return [200, this.overview()];
    if (method === 'GET' && path === '/jars') return [200, this.jarList()];
    if (method === 'POST' && path === '/jars/upload') return this.upload(req, raw);
    if (method === 'DELETE' && (m = path.match(/^\/jars\/([^/]+)$/))) return this.deleteJar(decodeURIComponent(m[1]));
    if (method === 'POST' && (m = path.match(/^\/jars\/([^/]+)\/run$/))) return this.run(decodeURIComponent(m[1]), req);
    if (method === 'GET' && path === '/jobs/overview') return [200, { jobs: [...this.jobs.values()].map(jobDetails) }];
    if ((m = path.match(/^\/jobs\/([0-9a-f]{32})(\/.*)?$/))) {
      const [, jid, rest = ''] = m;
      if (method === 'GET' && rest === '') return this.jobStatus(jid);
      if (method === 'PATCH' && rest === '') return this.cancel(jid, req.query.mode);
      if (method === 'GET' && rest === '/config') return this.jobConfig(jid);
      if (method === 'GET' && rest === '/exceptions') return this.exceptions(jid);
      if (method === 'GET' && rest === '/checkpoints') return this.checkpoints(jid);
      if (method === 'POST' && rest === '/stop') return this.stop(jid, req);
      if (method === 'POST' && rest === '/savepoints') return this.triggerSavepoint(jid, req);
      if (method === 'GET' && (m = rest.match(/^\/vertices\/([0-9a-f]{32})\/subtasks\/metrics$/)))
        return this.vertexMetrics(jid, m[1], req.query);
      if (method === 'GET' && (m = rest.match(/^\/savepoints\/([0-9a-f]{32})$/)))
        return this.savepointStatus(jid, m[1]);
    }
    return [404, { errors: [`Not found: ${path}`] }];
  }

  private overview() {
    const count = (state: JobState) => [...this.jobs.values()].filter((j) => j.state === state).length;
    const active = [...this.jobs.values()].filter((j) => !TERMINAL.has(j.state));
    const running = active.length;
    // One slot sharing group per job: a job holds as many slots as its parallelism.
    const slotsHeld = active.reduce((sum, j) => sum + j.parallelism, 0);
    return {
      taskmanagers: this.cluster.taskmanagers,
      'slots-total': this.cluster.slotsTotal,
      'slots-available': Math.max(0, this.cluster.slotsTotal - slotsHeld),
      'taskmanagers-blocked': 0,
      'slots-free-and-blocked': 0,
      'jobs-running': running,
      'jobs-finished': count('FINISHED'),
      'jobs-cancelled': count('CANCELED'),
      'jobs-failed': count('FAILED'),
      'flink-version': this.cluster.flinkVersion,
      'flink-commit': 'fake0000',
    };
  }

  private jarList() {
    return {
      address: this.url,
      files: [...this.jars.values()].map((jar) => ({ id: jar.id, name: jar.name, uploaded: jar.uploaded, entry: [] })),
    };
  }

  private async upload(req: RecordedRequest, raw: Buffer): Promise<[number, unknown]> {
    // Flink takes any multipart file field; it refuses anything but exactly one file ending in .jar.
    const files: { field: string; file: File }[] = [];
    if (req.contentType?.startsWith('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': req.contentType } }).formData();
      form.forEach((value, field) => {
        if (typeof value !== 'string') files.push({ field, file: value });
      });
    }
    if (files.length !== 1) return [400, { errors: [`Exactly 1 file must be sent, received ${files.length}.`] }];
    const [{ field, file }] = files;
    const bytes = Buffer.from(await file.arrayBuffer());
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    req.upload = { field, filename: file.name, type: file.type, size: bytes.length, sha256 };
    if (!file.name.endsWith('.jar')) return [400, { errors: ['Only Jar files are allowed.'] }];
    const jar = {
      id: `${randomUUID()}_${file.name}`,
      name: file.name,
      uploaded: this.nextUploadTime(),
      size: bytes.length,
      sha256,
    };
    this.jars.set(jar.id, jar);
    return [200, { filename: `${UPLOAD_DIR}/${jar.id}`, status: 'success' }];
  }

  private deleteJar(jarId: string): [number, unknown] {
    if (!this.jars.delete(jarId)) return [400, { errors: [`File ${jarId} does not exist in ${UPLOAD_DIR}.`] }];
    return [200, {}];
  }

  private run(jarId: string, req: RecordedRequest): [number, unknown] {
    const invalid = unknownFields('run', req.body);
    if (invalid) return invalid;
    if (!this.jars.has(jarId)) return [400, { errors: [`Jar file ${UPLOAD_DIR}/${jarId} does not exist`] }];
    const body = (req.body ?? {}) as {
      entryClass?: string;
      programArgsList?: string[];
      savepointPath?: string;
      allowNonRestoredState?: boolean;
      parallelism?: number;
      jobId?: string;
      flinkConfiguration?: Record<string, string>;
    };
    if (body.jobId !== undefined && this.jobs.has(body.jobId)) {
      // Flink refuses a job id it has seen, running or ended, deep in the program's execution.
      return [
        400,
        {
          errors: [
            trace(
              'org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.',
              'org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)',
            ) +
              `\nCaused by: org.apache.flink.util.FlinkException: Failed to execute job '${this.jobName(body.entryClass ?? '')}'.` +
              '\nCaused by: org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted.' +
              '\n\tat org.apache.flink.runtime.client.DuplicateJobSubmissionException.of(DuplicateJobSubmissionException.java:31)',
          ],
        },
      ];
    }
    const userConfig = parseFlinkMap(body.flinkConfiguration?.['pipeline.global-job-parameters']);
    if (userConfig === null) {
      return [400, { errors: ["Could not parse value for key 'pipeline.global-job-parameters'."] }];
    }
    const script = this.jobScripts.shift() ?? {};
    const savepoint = body.savepointPath;
    // Restoring is part of the job's initialisation (asynchronous since Flink 1.12): a missing
    // savepoint, or one with state the program cannot take, is accepted by /run and then fails
    // the job, as on a real cluster.
    const missing = savepoint !== undefined && !savepointExists(savepoint);
    const unmapped = savepoint !== undefined && !body.allowNonRestoredState ? (script.unmappedOperators ?? []) : [];
    const job = this.createJob(
      this.jobName(body.entryClass ?? ''),
      missing
        ? initialisationFailure(
            `java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory '${savepoint}' on file system 'file'.`,
          )
        : unmapped.length > 0
          ? initialisationFailure(unmappedStateCause(savepoint!, unmapped[0]))
          : script,
      undefined,
      body.jobId,
      { parallelism: body.parallelism },
    );
    job.userConfig = userConfig;
    job.restoredFrom = savepoint;
    job.submitted = {
      jarId,
      entryClass: body.entryClass,
      programArgsList: body.programArgsList,
      savepointPath: savepoint,
      allowNonRestoredState: body.allowNonRestoredState,
    };
    return [200, { jobid: job.jid }];
  }

  private jobStatus(jid: string): [number, unknown] {
    const job = this.jobs.get(jid);
    if (!job) return notFound(jid);
    // Each status poll is one tick of the job's script.
    const { states } = job.script;
    this.enter(job, states[Math.min(job.statusPolls, states.length - 1)]);
    job.statusPolls++;
    const now = Date.now();
    return [
      200,
      {
        jid: job.jid,
        name: job.name,
        isStoppable: false,
        state: job.state,
        'job-type': 'STREAMING',
        'start-time': job.startTime,
        'end-time': job.endTime,
        duration: (job.endTime > 0 ? job.endTime : now) - job.startTime,
        maxParallelism: job.maxParallelism,
        now,
        timestamps: job.timestamps,
        vertices: job.vertices.map((vertex) => ({
          id: vertex.id,
          slotSharingGroupId: '488637e87fda55032236dcc3849d2288',
          name: vertex.name,
          maxParallelism: job.maxParallelism > 0 ? job.maxParallelism : 128,
          parallelism: job.parallelism,
          status: job.state,
          'start-time': job.startTime,
          'end-time': job.endTime,
          duration: (job.endTime > 0 ? job.endTime : now) - job.startTime,
          tasks: {},
          metrics: {},
        })),
        'status-counts': {},
        plan: { jid: job.jid, name: job.name, type: 'STREAMING', nodes: [] },
        'stream-graph': { nodes: [] },
        'pending-operators': 0,
      },
    ];
  }

  private cancel(jid: string, mode: string | undefined): [number, unknown] {
    if (mode !== undefined && mode !== 'cancel') {
      return [
        400,
        {
          errors: [
            'The termination mode "stop" has been removed. For an ungraceful shutdown, please use "cancel" instead. For a graceful shutdown, please use "jobs/:jobId/stop" instead.',
          ],
        },
      ];
    }
    const job = this.jobs.get(jid);
    if (!job) return [404, { errors: ['Job could not be found.'] }];
    // Flink acknowledges cancelling a cancelled job, and refuses one that ended otherwise.
    if (job.state === 'CANCELED') return [202, {}];
    if (TERMINAL.has(job.state)) {
      return [
        409,
        {
          errors: [
            `Job cancellation failed because the job has already reached another terminal state (${job.state}).`,
          ],
        },
      ];
    }
    job.script.states = ['CANCELED'];
    this.enter(job, 'CANCELED');
    return [202, {}];
  }

  private exceptions(jid: string): [number, unknown] {
    const job = this.jobs.get(jid);
    if (!job) return notFound(jid);
    // Flink 2.x dropped root-exception, timestamp, all-exceptions and truncated: only the history is left.
    const entries = [...job.exceptions].reverse().map((e) => ({
      exceptionName: e.exceptionName,
      stacktrace: e.stacktrace,
      timestamp: e.timestamp,
      failureLabels: {},
      concurrentExceptions: [],
    }));
    return [200, { exceptionHistory: { entries, truncated: false } }];
  }

  private checkpoints(jid: string): [number, unknown] {
    const job = this.jobs.get(jid);
    if (!job) return notFound(jid);
    const { checkpointAfterPolls } = job.script;
    if (job.state === 'RUNNING' && !job.checkpoint && checkpointAfterPolls !== null) {
      if (job.checkpointPolls >= checkpointAfterPolls) {
        const now = Date.now();
        job.checkpoint = {
          id: 1,
          trigger_timestamp: now - 40,
          latest_ack_timestamp: now,
          external_path: '<checkpoint-not-externally-addressable>',
        };
      }
    }
    if (job.state === 'RUNNING') job.checkpointPolls++;
    const completed = job.checkpoint
      ? {
          className: 'completed',
          ...job.checkpoint,
          status: 'COMPLETED',
          is_savepoint: false,
          savepointFormat: null,
          checkpointed_size: 1024,
          state_size: 1024,
          end_to_end_duration: job.checkpoint.latest_ack_timestamp - job.checkpoint.trigger_timestamp,
          alignment_buffered: 0,
          processed_data: 0,
          persisted_data: 0,
          num_subtasks: 1,
          num_acknowledged_subtasks: 1,
          checkpoint_type: 'CHECKPOINT',
          tasks: {},
          discarded: false,
        }
      : null;
    const pending = job.state === 'RUNNING' && !job.checkpoint ? 1 : 0;
    const savepointPath = job.restoredFrom;
    const savepoint = job.lastSavepoint
      ? {
          className: 'completed',
          id: job.lastSavepoint.id,
          status: 'COMPLETED',
          is_savepoint: true,
          savepointFormat: 'CANONICAL',
          trigger_timestamp: job.lastSavepoint.latest_ack_timestamp - 20,
          latest_ack_timestamp: job.lastSavepoint.latest_ack_timestamp,
          external_path: job.lastSavepoint.external_path,
          discarded: false,
          checkpoint_type: 'SAVEPOINT',
        }
      : null;
    return [
      200,
      {
        counts: {
          restored: savepointPath ? 1 : 0,
          total: (completed ? 1 : 0) + pending,
          in_progress: pending,
          completed: completed ? 1 : 0,
          failed: 0,
        },
        summary: {},
        latest: {
          completed,
          savepoint,
          failed: null,
          restored: savepointPath
            ? { id: 0, restore_timestamp: job.startTime, is_savepoint: true, external_path: savepointPath }
            : null,
        },
        history: completed ? [completed] : [],
      },
    ];
  }

  private stop(jid: string, req: RecordedRequest): [number, unknown] {
    const invalid = unknownFields('stop', req.body);
    if (invalid) return invalid;
    const { targetDirectory, triggerId } = (req.body ?? {}) as { targetDirectory?: string; triggerId?: string };
    // Flink registers the operation before it looks at the job: even an unknown or finished job
    // gets a trigger id, and the failure shows only in the operation's status.
    const existing = triggerId && this.savepoints.find((s) => s.triggerId === triggerId && s.jobId === jid);
    if (existing) return [202, { 'request-id': existing.triggerId }];
    const job = this.jobs.get(jid);
    const savepoint: FakeSavepoint = {
      triggerId: triggerId ?? hex(16),
      jobId: jid,
      kind: 'stop',
      targetDirectory: targetDirectory ?? '',
      pollsLeft: 0,
      done: false,
    };
    if (!job || TERMINAL.has(job.state)) {
      // The job has no JobMaster any more: the operation fails at once.
      savepoint.failure = trace(
        `java.util.concurrent.CompletionException: org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (${jid})`,
        'org.apache.flink.runtime.dispatcher.Dispatcher.lambda$performOperationOnJobMasterGateway$34(Dispatcher.java:1440)',
      );
    } else if (!targetDirectory) {
      savepoint.failure = trace(
        "java.lang.IllegalStateException: No savepoint directory configured. You can either specify a directory while cancelling via -s :targetDirectory or configure a cluster-wide default via key 'execution.checkpointing.savepoint-dir'.",
        'org.apache.flink.runtime.scheduler.SchedulerBase.stopWithSavepoint(SchedulerBase.java:1130)',
      );
    } else if (job.state !== 'RUNNING') {
      savepoint.failure = trace(
        'org.apache.flink.runtime.checkpoint.CheckpointException: Not all required tasks are currently running.',
        'org.apache.flink.runtime.checkpoint.DefaultCheckpointPlanCalculator.checkTasksStarted(DefaultCheckpointPlanCalculator.java:143)',
      );
    } else {
      const script = this.savepointScripts.shift() ?? {};
      savepoint.pollsLeft = script.pollsBeforeDone === undefined ? 0 : script.pollsBeforeDone;
      savepoint.failure = script.failure;
    }
    this.savepoints.push(savepoint);
    return [202, { 'request-id': savepoint.triggerId }];
  }

  /** POST /jobs/:id/savepoints: a savepoint of a job that keeps running (unless `cancel-job`, which this fake does not do). */
  private triggerSavepoint(jid: string, req: RecordedRequest): [number, unknown] {
    const invalid = unknownFields('savepoint', req.body);
    if (invalid) return invalid;
    const body = (req.body ?? {}) as { 'target-directory'?: string; 'cancel-job'?: boolean; triggerId?: string };
    if (body['cancel-job']) return [400, { errors: ['the fake Flink does not cancel jobs with a savepoint'] }];
    // As for a stop: a trigger id Flink still holds is the same operation (Flink keeps them 5 minutes).
    const existing = body.triggerId && this.savepoints.find((s) => s.triggerId === body.triggerId && s.jobId === jid);
    if (existing) return [202, { 'request-id': existing.triggerId }];
    const job = this.jobs.get(jid);
    const targetDirectory = body['target-directory'];
    const savepoint: FakeSavepoint = {
      triggerId: body.triggerId ?? hex(16),
      jobId: jid,
      kind: 'trigger',
      targetDirectory: targetDirectory ?? '',
      pollsLeft: 0,
      done: false,
    };
    if (!job || TERMINAL.has(job.state)) {
      savepoint.failure = trace(
        `java.util.concurrent.CompletionException: org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (${jid})`,
        'org.apache.flink.runtime.dispatcher.Dispatcher.lambda$performOperationOnJobMasterGateway$34(Dispatcher.java:1440)',
      );
    } else if (!targetDirectory) {
      savepoint.failure = trace(
        "java.lang.IllegalStateException: No savepoint directory configured. You can either specify a directory while cancelling via -s :targetDirectory or configure a cluster-wide default via key 'execution.checkpointing.savepoint-dir'.",
        'org.apache.flink.runtime.scheduler.SchedulerBase.triggerSavepoint(SchedulerBase.java:1010)',
      );
    } else if (job.state !== 'RUNNING') {
      savepoint.failure = trace(
        'org.apache.flink.runtime.checkpoint.CheckpointException: Not all required tasks are currently running.',
        'org.apache.flink.runtime.checkpoint.DefaultCheckpointPlanCalculator.checkTasksStarted(DefaultCheckpointPlanCalculator.java:143)',
      );
    } else {
      const script = this.savepointScripts.shift() ?? {};
      savepoint.pollsLeft = script.pollsBeforeDone === undefined ? 0 : script.pollsBeforeDone;
      savepoint.failure = script.failure;
    }
    this.savepoints.push(savepoint);
    return [202, { 'request-id': savepoint.triggerId }];
  }

  /** Forgets finished operations, as Flink does after `rest.async.store-duration` (5 minutes). */
  forgetCompletedOperations(): void {
    for (let i = this.savepoints.length - 1; i >= 0; i--) {
      if (this.savepoints[i].done) this.savepoints.splice(i, 1);
    }
  }

  /**
   * GET /jobs/:id/vertices/:vid/subtasks/metrics: without `get`, the ids of the metrics the vertex
   * has; with it, each asked metric aggregated over the subtasks. As Flink, it answers `[]` when
   * any asked metric is unknown.
   */
  private vertexMetrics(jid: string, vertexId: string, query: Record<string, string>): [number, unknown] {
    const job = this.jobs.get(jid);
    if (!job) return notFound(jid);
    const vertex = job.vertices.find((v) => v.id === vertexId);
    if (!vertex) return [404, { errors: [`Vertex ${vertexId} not found`] }];
    if (!query.get) return [200, Object.keys(vertex.metrics).map((id) => ({ id }))];
    const ids = query.get.split(',');
    if (ids.some((id) => !vertex.metrics[id])) return [200, []];
    const aggs = (query.agg ?? 'min,max,avg,sum').split(',');
    return [
      200,
      ids.map((id) => {
        const values = vertex.metrics[id];
        const all = {
          min: Math.min(...values),
          max: Math.max(...values),
          sum: values.reduce((a, b) => a + b, 0),
          avg: values.reduce((a, b) => a + b, 0) / values.length,
          skew: 0,
        };
        return { id, ...Object.fromEntries(aggs.map((agg) => [agg, all[agg as keyof typeof all]])) };
      }),
    ];
  }

  private jobConfig(jid: string): [number, unknown] {
    const job = this.jobs.get(jid);
    if (!job) return notFound(jid);
    return [
      200,
      {
        jid,
        name: job.name,
        'execution-config': {
          'restart-strategy': 'Cluster level default restart strategy',
          'job-parallelism': job.parallelism,
          'object-reuse-mode': false,
          'user-config': job.userConfig,
        },
      },
    ];
  }

  private savepointStatus(jid: string, triggerId: string): [number, unknown] {
    const op = this.savepoints.find((s) => s.jobId === jid && s.triggerId === triggerId);
    if (!op) {
      return [
        404,
        {
          // Flink 2.2's words (SavepointHandlers.SavepointStatusHandler), for a trigger it never had or has forgotten.
          errors: [
            trace(
              `org.apache.flink.runtime.rest.handler.RestHandlerException: There is no savepoint operation with triggerId=${triggerId} for job ${jid}.`,
              'org.apache.flink.runtime.rest.handler.job.savepoints.SavepointHandlers$SavepointStatusHandler.maybeCreateNotFoundError(SavepointHandlers.java:325)',
            ),
          ],
        },
      ];
    }
    if (!op.done && op.pollsLeft !== null) {
      if (op.pollsLeft === 0) this.complete(op);
      else op.pollsLeft--;
    }
    if (!op.done) return [200, { status: { id: 'IN_PROGRESS' }, operation: null }];
    return [
      200,
      {
        status: { id: 'COMPLETED' },
        operation: op.location
          ? { location: op.location }
          : {
              'failure-cause': {
                class: op.failure!.split(':')[0],
                'stack-trace': op.failure,
                'serialized-throwable': 'rO0ABQ==',
              },
            },
      },
    ];
  }

  // ---- internals ------------------------------------------------------------------------------

  private complete(op: FakeSavepoint): void {
    op.done = true;
    if (op.failure !== undefined) return;
    const job = this.job(op.jobId);
    const name = `savepoint-${op.jobId.slice(0, 6)}-${hex(6)}`;
    const dir = join(op.targetDirectory, name);
    if (this.options.writeSavepointFiles !== false) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, '_metadata'), 'fake savepoint metadata');
    }
    op.location = `file:${dir}`;
    job.lastSavepoint = {
      id: (job.lastSavepoint?.id ?? 0) + 1,
      external_path: op.location,
      latest_ack_timestamp: Date.now(),
    };
    if (op.kind === 'trigger') return;
    // Stop-with-savepoint without drain ends the job as FINISHED.
    job.script.states = ['FINISHED'];
    this.enter(job, 'FINISHED');
  }

  private createJob(
    name: string,
    script: JobScript,
    startTime = Date.now(),
    jid = hex(16),
    shape: { parallelism?: number; vertices?: string[] } = {},
  ): FakeJob {
    const states = script.states?.length ? script.states : (['RUNNING'] as JobState[]);
    const job: FakeJob = {
      jid,
      name,
      state: states[0],
      startTime,
      endTime: -1,
      timestamps: {},
      script: {
        states,
        checkpointAfterPolls: script.checkpointAfterPolls === undefined ? 0 : script.checkpointAfterPolls,
        failure: script.failure,
      },
      statusPolls: 0,
      checkpointPolls: 0,
      checkpoint: null,
      exceptions: [],
      parallelism: shape.parallelism ?? 1,
      maxParallelism: 128,
      userConfig: {},
      vertices: (shape.vertices ?? DEFAULT_VERTICES).map((vertexName) => ({
        id: hex(16),
        name: vertexName,
        metrics: {},
      })),
    };
    this.jobs.set(jid, job);
    this.enter(job, states[0]);
    return job;
  }

  private enter(job: FakeJob, state: JobState): void {
    if (job.timestamps[state] !== undefined && job.state === state) return;
    const now = Date.now();
    job.state = state;
    job.timestamps[state] = now;
    if (TERMINAL.has(state)) job.endTime = now;
    if (state === 'FAILED' && job.script.failure && job.exceptions.length === 0) {
      job.exceptions.push({
        exceptionName: job.script.failure.split(/[:\n]/)[0],
        stacktrace: job.script.failure,
        timestamp: now,
      });
    }
  }

  private jobName(entryClass: string): string {
    const names =
      this.options.jobNames ?? Object.fromEntries(Object.values(FLINK_JOBS).map((j) => [j.entryClass, j.name]));
    return names[entryClass] ?? entryClass.split('.').pop() ?? 'job';
  }

  /** Flink stamps a jar with its file's mtime; strictly increasing here so "newest first" is well defined. */
  private nextUploadTime(): number {
    this.lastUpload = Math.max(Date.now(), this.lastUpload + 1);
    return this.lastUpload;
  }
}

function jobDetails(job: FakeJob) {
  const running = job.state === 'RUNNING' ? 1 : 0;
  return {
    jid: job.jid,
    name: job.name,
    'start-time': job.startTime,
    'end-time': job.endTime,
    duration: (job.endTime > 0 ? job.endTime : Date.now()) - job.startTime,
    state: job.state,
    'last-modification': Math.max(...Object.values(job.timestamps)),
    tasks: {
      running,
      canceling: 0,
      canceled: job.state === 'CANCELED' ? 1 : 0,
      total: 1,
      created: 0,
      scheduled: 0,
      deploying: 0,
      reconciling: 0,
      finished: job.state === 'FINISHED' ? 1 : 0,
      initializing: job.state === 'INITIALIZING' ? 1 : 0,
      failed: job.state === 'FAILED' ? 1 : 0,
    },
    'pending-operators': 0,
  };
}

/** A job that fails while its JobMaster starts, with this cause under Flink's JobInitializationException. */
function initialisationFailure(cause: string): JobScript {
  return {
    states: ['INITIALIZING', 'FAILED'],
    failure:
      trace(
        'org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster.',
        'org.apache.flink.runtime.jobmaster.DefaultJobMasterServiceProcess.lambda$new$0(DefaultJobMasterServiceProcess.java:97)',
      ) + `\nCaused by: ${cause}`,
  };
}

/**
 * Flink's refusal of a savepoint with state of an operator the program lacks: it names the first
 * such operator and appears twice in the chain, wrapped in a CompletionException and on its own.
 */
function unmappedStateCause(savepoint: string, operator: string): string {
  const refusal =
    `java.lang.IllegalStateException: Failed to rollback to checkpoint/savepoint ${savepoint}. ` +
    `Cannot map checkpoint/savepoint state for operator ${operator} to the new program, because the operator is not available in the new program. ` +
    'If you want to allow to skip this, you can set the --allowNonRestoredState option on the CLI.';
  return [
    `java.util.concurrent.CompletionException: ${refusal}`,
    '\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:315)',
    '\t... 3 more',
    `Caused by: ${refusal}`,
    '\tat org.apache.flink.runtime.checkpoint.Checkpoints.loadAndValidateCheckpoint(Checkpoints.java:223)',
    '\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator.restoreSavepoint(CheckpointCoordinator.java:1900)',
  ].join('\n');
}

/**
 * Flink's `key:value,key:value` map syntax (of `pipeline.global-job-parameters`), unquoted values
 * only: what the worker writes. {} when absent, null when Flink would refuse it.
 */
export function parseFlinkMap(text: string | undefined): Record<string, string> | null {
  if (text === undefined) return {};
  const map: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const at = entry.indexOf(':');
    if (at <= 0 || /['"]/.test(entry)) return null;
    map[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return map;
}

function unknownFields(kind: keyof typeof REQUEST_FIELDS, body: unknown): [number, unknown] | undefined {
  const { name, fields } = REQUEST_FIELDS[kind];
  if (body === undefined) return undefined;
  const unknown = Object.keys(body as object).filter((key) => !fields.includes(key));
  return unknown.length > 0 ? [400, { errors: [`Request did not match expected format ${name}.`] }] : undefined;
}

function savepointExists(path: string): boolean {
  const local = path.replace(/^file:(\/\/)?/, '');
  return existsSync(join(local, '_metadata'));
}

function notFound(jid: string): [number, unknown] {
  return [
    404,
    {
      errors: [
        trace(
          `org.apache.flink.runtime.rest.NotFoundException: Job ${jid} not found`,
          'org.apache.flink.runtime.rest.handler.job.AbstractExecutionGraphHandler.lambda$handleRequest$1(AbstractExecutionGraphHandler.java:99)',
        ),
      ],
    },
  ];
}

function matches(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
