import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@social-pulse/pulse/testing';
import { platform } from '@social-pulse/testing';

const url = platform.clickhouseUrl;
const project = join(repoRoot, 'tools', 'chdb-server', 'java-check');
const source = join(project, 'src', 'main', 'java', 'socialpulse', 'chdbcheck', 'ChdbServerCheck.java');
const compiled = join(project, 'target', 'classes', 'socialpulse', 'chdbcheck', 'ChdbServerCheck.class');
const classpathFile = join(project, 'target', 'classpath.txt');

/** Builds the check with Maven only when the pom or the source changed since the last build. */
function buildIfStale(): void {
  const builtAt = existsSync(compiled) && existsSync(classpathFile) ? statSync(compiled).mtimeMs : 0;
  const changedAt = Math.max(statSync(join(project, 'pom.xml')).mtimeMs, statSync(source).mtimeMs);
  if (builtAt > changedAt) return;
  const mvn = spawnSync(
    'mvn',
    ['-q', '-B', 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`],
    {
      cwd: project,
      encoding: 'utf8',
      timeout: 300_000,
    },
  );
  if (mvn.status !== 0) throw new Error(`mvn failed:\n${mvn.stdout}\n${mvn.stderr}`);
}

describe('Java clients against the ClickHouse HTTP interface', () => {
  it('should insert and select with com.clickhouse:client-v2 and with plain HTTP', async () => {
    buildIfStale();
    const classpath = `${join(project, 'target', 'classes')}:${readFileSync(classpathFile, 'utf8').trim()}`;
    const database = `java_check_${Date.now()}`;
    const run = spawnSync('java', ['-cp', classpath, 'socialpulse.chdbcheck.ChdbServerCheck', url, database], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output).toBe(0);
    expect(output).toContain('java check passed');
    await fetch(`${url}/`, { method: 'POST', body: `DROP DATABASE IF EXISTS ${database}` });
  });
});
