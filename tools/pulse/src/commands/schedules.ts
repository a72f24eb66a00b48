import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { LIVE_REFRESHER_WORKFLOW_ID, PLATFORM_SCHEDULES } from '@social-pulse/activities/platform-schedules';
import { liveRefresherProgressQuery } from '@social-pulse/workflows';
import { say } from '../console';
import { withTemporal } from '../temporal';

/** `pulse schedules`: each platform Schedule with its cadence, last and next run, and the live refresher. */
export async function printSchedules(): Promise<void> {
  await withTemporal(async (client) => {
    for (const schedule of PLATFORM_SCHEDULES) {
      const description = await client.schedule
        .getHandle(schedule.id)
        .describe()
        .catch(() => null);
      if (!description) {
        say.warn(`${schedule.id}: missing (start the platform with \`npx pulse up\` to create it)`);
        continue;
      }
      const last = description.info.recentActions.at(-1);
      const next = description.info.nextActionTimes[0];
      const state = description.state.paused ? 'PAUSED' : 'active';
      say.plain(
        `${schedule.id}  every ${schedule.everyMs / 1000} s  ${state}  ` +
          `last ${last ? ago(last.takenAt) : 'never'}  next ${next ? `in ${seconds(next.getTime() - Date.now())}` : '-'}`,
      );
      say.plain(`    ${schedule.workflowType}: ${schedule.description}`);
    }
    say.plain(await liveRefresherLine(client));
  });
}

async function liveRefresherLine(client: Client): Promise<string> {
  const handle = client.workflow.getHandle(LIVE_REFRESHER_WORKFLOW_ID);
  try {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING')
      return `${LIVE_REFRESHER_WORKFLOW_ID}: ${status.name} (\`npx pulse up\` restarts it)`;
    const progress = await handle.query(liveRefresherProgressQuery);
    const last = progress.lastRunEndedAt ? `, last run ended ${ago(new Date(progress.lastRunEndedAt))}` : '';
    return (
      `${LIVE_REFRESHER_WORKFLOW_ID}  running  ${progress.runs} runs in this workflow run, ` +
      `${progress.refreshed} answers written, ${progress.failed} failed${last}`
    );
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return `${LIVE_REFRESHER_WORKFLOW_ID}: not started`;
    throw error;
  }
}

const seconds = (ms: number) => `${Math.max(0, ms / 1000).toFixed(1)} s`;
const ago = (time: Date) => `${seconds(Date.now() - time.getTime())} ago`;
