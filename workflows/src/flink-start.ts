import { proxyActivities, uuid4 } from '@temporalio/workflow';
// Types only: workflow code must stay deterministic and never load activity implementations.
import type { FlinkDeployActivities } from '@social-pulse/activities';

/**
 * Starting a job: one request, during which Flink runs the program's main (seconds under load).
 * The activity heartbeats meanwhile, so a killed worker is noticed within 3 s, not at the timeout,
 * while the old job is already stopped. Each start carries an id the workflow chose (newFlinkJobId):
 * a retry whose predecessor's submission got through finds that job instead of starting a second.
 */
export const start = proxyActivities<Pick<FlinkDeployActivities, 'startJob'>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '3 seconds',
  retry: { maximumAttempts: 3 },
});

/** A Flink job id (32 hex digits), deterministic in the workflow's history. */
export const newFlinkJobId = () => uuid4().replaceAll('-', '');
