import { Command } from 'commander';
import { ConfigError } from '@social-pulse/config';
import { PulseError, say } from './console';
import { FLINK_JOBS } from '@social-pulse/shared';
import { BACKFILL_VIEW_NAMES, backfill, type BackfillOptions } from './commands/backfill';
import { BOOTSTRAP_HELP, bootstrap, type BootstrapOptions } from './commands/bootstrap';
import {
  ALLOW_NON_RESTORED_STATE_HELP,
  WATCH_HELP,
  deploy,
  parseWatchSeconds,
  rollback,
  type DeployOptions,
} from './commands/deploy';
import { down } from './commands/down';
import { ERASE_USER_HELP, eraseUser, type EraseUserOptions } from './commands/erase-user';
import { logs } from './commands/logs';
import { MIGRATIONS_HELP, migrations, parseIdentifier, type MigrationsOptions } from './commands/migrations';
import { RESCALE_HELP, rescale } from './commands/rescale';
import { printSchedules } from './commands/schedules';
import { printStatus } from './commands/status';
import { TTL_HELP, ttl, type TtlOptions } from './commands/ttl';
import { up } from './commands/up';
import { installAll } from './install';

const program = new Command()
  .name('pulse')
  .description('Run the Social Pulse platform on one machine: Kafka, Flink, Temporal, Redis and the apps.')
  .showHelpAfterError();

program
  .command('up')
  .description('install what is missing, start every service and supervise them (Ctrl-C stops all)')
  .option('-d, --detach', 'run in the background and return once everything is healthy')
  .option('--demo', 'also post demo traffic through the collector, so trends move on their own')
  .action(up);

program.command('down').description('stop everything that `pulse up` started').action(down);

program.command('status').description('state, pid, ports, version and memory of each service').action(printStatus);

program
  .command('logs')
  .description('show the log of a service (kafka, flink, temporal, redis, collector, api, worker, pulse)')
  .argument('<service>', 'service name or group')
  .option('-n, --lines <n>', 'how many lines', '100')
  .option('-f, --follow', 'keep printing new lines')
  .action(logs);

program
  .command('bootstrap')
  .description(BOOTSTRAP_HELP)
  .option('--redeploy-jobs', 'deploy every Flink job, even one that already runs the current jar')
  .action(async (options: BootstrapOptions) => {
    await bootstrap(options);
  });

program
  .command('deploy')
  .description('deploy a Flink job through the Temporal workflow: savepoint, upgrade, verify, roll back on failure')
  .argument('<job>', `one of: ${Object.keys(FLINK_JOBS).join(', ')}`)
  .option('--allow-non-restored-state', ALLOW_NON_RESTORED_STATE_HELP)
  .option('--watch <seconds>', WATCH_HELP, parseWatchSeconds)
  .action(async (job: string, options: DeployOptions) => {
    await deploy(job, options);
  });

program
  .command('rollback')
  .description('roll back the deploy of a Flink job under way: the previous version resumes from its savepoint')
  .argument('<job>', `one of: ${Object.keys(FLINK_JOBS).join(', ')}`)
  .option('--reason <text>', 'why, recorded in the deploy workflow and its result')
  .action(async (job: string, options: { reason?: string }) => {
    await rollback(job, options);
  });

program
  .command('rescale')
  .description(RESCALE_HELP)
  .argument('<job>', `one of: ${Object.keys(FLINK_JOBS).join(', ')}`)
  .argument('<parallelism>', 'the new parallelism: a whole number from 1 to 128')
  .action(async (job: string, parallelism: string) => {
    await rescale(job, parallelism);
  });

program
  .command('ttl')
  .description(TTL_HELP)
  .option('-t, --table <name...>', 'only these tables (repeat, or comma-separated); default every table with a TTL')
  .option('--dry-run', 'report what is past the TTL and each table against its budget; remove nothing')
  .option('--budget <table=size...>', 'a bytes budget for a table over its default, e.g. events=500GiB (repeatable)')
  .option('--default-budget <size>', 'the budget of tables without one of their own (default 10GiB)')
  .action(async (options: TtlOptions) => {
    await ttl(options);
  });

program
  .command('migrations')
  .description(MIGRATIONS_HELP)
  .option('--print', 'print the SQL to stdout instead of applying it (needs no server)')
  .option(
    '--cluster <name>',
    'the ClickHouse cluster, as its servers\' remote_servers name it; default CLICKHOUSE_CLUSTER, "" for one server',
    parseIdentifier,
  )
  .option(
    '--database <name>',
    'with --print: the database the Distributed tables name (default: default)',
    parseIdentifier,
  )
  .action(async (options: MigrationsOptions) => {
    await migrations(options);
  });

program
  .command('schedules')
  .description('the Temporal Schedules the platform runs (answer refreshes, maintenance) and the live answer refresher')
  .action(printSchedules);

program
  .command('backfill')
  .description(
    '(re)build a materialized view through the Temporal workflow: cut over at an instant, refill its target ' +
      'from the source in chunks (each once, even after a retry), reconcile it with the source',
  )
  .argument('<view>', `one of: ${BACKFILL_VIEW_NAMES}`)
  .option('--from <YYYY-MM-DD>', "the first day to fill (UTC); default the oldest source row the target's TTL keeps")
  .option('--max-chunk-rows <n>', 'source rows per chunk (one INSERT … SELECT); default 500000')
  .option('--settle-seconds <n>', 'how long rows written before the cut-over may still arrive; default 30')
  .action(async (view: string, options: BackfillOptions) => {
    await backfill(view, options);
  });

program
  .command('erase-user')
  .description(ERASE_USER_HELP)
  .argument('<id>', 'the user id, as events carry it (user_id)')
  .requiredOption('--by <who>', 'who asked for the erasure (recorded in the audit table user_erasures)')
  .option('--reason <text>', "why, e.g. the request's reference (recorded in the audit)")
  .option('--anonymous-id <id...>', "anonymous ids linked to the user beyond those found in the user's own events")
  .action(async (id: string, options: EraseUserOptions) => {
    await eraseUser(id, options);
  });

program
  .command('install')
  .description('download and build the external components into the cache, start nothing')
  .action(async () => {
    await installAll();
    say.ok('everything is installed');
  });

/** Errors meant for people print as a message and a hint; anything else keeps its stack. */
async function run(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof PulseError) {
      say.fail(error.message);
      if (error.hint) say.plain(`  what to do: ${error.hint}`);
    } else if (error instanceof ConfigError) {
      say.fail(error.message);
    } else {
      say.fail((error as Error).stack ?? String(error));
    }
    process.exit(1);
  }
}

void run();
