import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** The pinned versions of every external component, from versions.json at the repo root. */
export interface Versions {
  kafka: { version: string; scala: string };
  flink: { version: string; kafkaConnector: string; pypiDistribution: string };
  temporal: { cli: string; goModule: string };
  redis: { debianPackage: string; minVersion: string };
  prometheus: { debianPackage: string; minVersion: string };
  alertmanager: { debianPackage: string; minVersion: string };
  haproxy: { debianPackage: string; minVersion: string };
  jmxPrometheusAgent: { groupId: string; artifactId: string; version: string };
  chdb: { npmPackage: string; version: string };
}

export const versions: Versions = JSON.parse(readFileSync(join(repoRoot, 'versions.json'), 'utf8')) as Versions;
