import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../paths';
import { MONITORING_DIR } from './monitoring';

// What every alert of monitoring/rules must carry, read from the files themselves: promtool checks
// that the rules parse and behave (test/integration/monitoring.test.ts), this that a person paged
// at night gets a severity that routes, words that say what broke, and a runbook section to follow.

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface AlertRuleTest {
  alertname: string;
  eval_time: string;
  exp_alerts?: unknown[] | null;
}

interface RulesTestFile {
  rule_files: string[];
  tests: { alert_rule_test?: AlertRuleTest[] }[];
}

/** The severities monitoring/alertmanager.yml routes: critical pages, warning opens a ticket. */
const SEVERITIES = ['critical', 'warning'];
const RUNBOOK = 'docs/runbook.md';

const readYaml = <T>(path: string) => parse(readFileSync(path, 'utf8')) as T;

const ruleFiles = readdirSync(join(MONITORING_DIR, 'rules'))
  .filter((file) => file.endsWith('.yml'))
  .map((file) => join('rules', file));
const rules = ruleFiles.flatMap((file) =>
  readYaml<{ groups: { rules: Rule[] }[] }>(join(MONITORING_DIR, file)).groups.flatMap((group) => group.rules),
);
const alerts = rules.filter((rule): rule is Rule & { alert: string } => rule.alert !== undefined);
const rulesTest = readYaml<RulesTestFile>(join(MONITORING_DIR, 'rules-test.yml'));
const runbook = readFileSync(join(repoRoot, RUNBOOK), 'utf8');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The headings of a Markdown text outside its code blocks, with their level. */
function headings(markdown: string): { level: number; text: string }[] {
  let fenced = false;
  return markdown.split('\n').flatMap((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    return heading ? [{ level: heading[1].length, text: heading[2] }] : [];
  });
}

const runbookAnchors = new Set(headings(runbook).map((h) => anchorOf(h.text)));
const runbookSections = headings(runbook)
  .filter((h) => h.level === 2)
  .map((h) => h.text);

describe('alert rules', () => {
  it('should find the alerts (the guard of the checks below)', () => {
    expect(alerts.length).toBeGreaterThan(20);
  });

  it('should give every alert a severity that Alertmanager routes: critical or warning', () => {
    const unrouted = alerts
      .filter((rule) => !SEVERITIES.includes(rule.labels?.severity ?? ''))
      .map((rule) => `${rule.alert}: severity ${rule.labels?.severity ?? '(none)'}`);
    expect(unrouted).toEqual([]);
  });

  it('should give every alert a summary, a description and a runbook link to its own section', () => {
    const problems = alerts.flatMap((rule) => {
      const annotations = rule.annotations ?? {};
      const missing = ['summary', 'description', 'runbook']
        .filter((name) => !annotations[name]?.trim())
        .map((name) => `${rule.alert}: no ${name}`);
      const link = annotations.runbook;
      if (link === undefined) return missing;
      const anchor = link.startsWith(`${RUNBOOK}#`) ? link.slice(RUNBOOK.length + 1) : undefined;
      if (anchor === undefined) return [...missing, `${rule.alert}: runbook ${link} is not ${RUNBOOK}#<anchor>`];
      if (!runbookAnchors.has(anchor)) return [...missing, `${rule.alert}: ${RUNBOOK} has no section #${anchor}`];
      if (anchor !== anchorOf(rule.alert)) {
        return [...missing, `${rule.alert}: runbook #${anchor} is not its own section #${anchorOf(rule.alert)}`];
      }
      return missing;
    });
    expect(problems).toEqual([]);
  });

  it("should keep no runbook section of an alert that the rules do not have (a rename's leftover)", () => {
    const names = new Set(alerts.map((rule) => rule.alert));
    expect(runbookSections.filter((section) => !names.has(section))).toEqual([]);
  });

  it('should name every alert once', () => {
    const names = alerts.map((rule) => rule.alert);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it('should test every alert in rules-test.yml firing, and quiet when it should be', () => {
    expect([...rulesTest.rule_files].sort()).toEqual([...ruleFiles].sort());
    const cases = rulesTest.tests.flatMap((test) => test.alert_rule_test ?? []);
    const problems = alerts.flatMap((rule) => {
      const own = cases.filter((c) => c.alertname === rule.alert);
      return [
        ...(own.some((c) => (c.exp_alerts ?? []).length > 0) ? [] : [`${rule.alert}: no case where it fires`]),
        ...(own.some((c) => (c.exp_alerts ?? []).length === 0) ? [] : [`${rule.alert}: no case where it stays quiet`]),
      ];
    });
    expect(problems).toEqual([]);
  });
});
