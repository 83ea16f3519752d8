/**
 * deploy/prometheus/alerts.yml: promtool validates the rules and runs their unit tests (alerts.test.yml) and
 * validates compose's Prometheus config that loads them; then, without promtool, that every alert has a test
 * that fires and one that stays quiet, a severity, a summary, a runbook line in the README, and reads only
 * metrics the services export.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { QUERYABLE_SERIES, REPO_ROOT } from './lib/catalogue';
import { metricNames } from './lib/promql';
import { describeWithTool, onPath, runTool } from './lib/tools';

const RULES = 'deploy/prometheus/alerts.yml';
const RULE_TESTS = 'deploy/prometheus/alerts.test.yml';
const PROMETHEUS_CONFIG = 'deploy/prometheus/prometheus.yml';

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface RuleTest {
  name?: string;
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}

function yamlFile<T>(relative: string): T {
  return parse(readFileSync(path.join(REPO_ROOT, relative), 'utf8')) as T;
}

const rules = yamlFile<{ groups: { name: string; rules: AlertRule[] }[] }>(RULES).groups.flatMap(
  (g) => g.rules,
);
const alertNames = rules.map((r) => r.alert);
const ruleTests = yamlFile<{ rule_files: string[]; tests: RuleTest[] }>(RULE_TESTS);

describeWithTool('promtool', "apt-get install prometheus; CI's .ci/run does", { requiredInCi: true })(
  'promtool',
  () => {
    it('is installed', () => {
      expect(onPath('promtool')).toBe(true);
    });

    it.each([
      ['check rules', RULES],
      ['test rules', RULE_TESTS],
      ['check config', PROMETHEUS_CONFIG],
    ])('promtool %s %s passes', (command, file) => {
      const result = runTool('promtool', [...command.split(' '), file]);
      expect([result.status, result.output]).toEqual([0, expect.any(String)]);
    });
  },
);

describe('the alert rules', () => {
  it('have unique names, and the unit tests load this rule file', () => {
    expect(alertNames.length).toBeGreaterThanOrEqual(8);
    expect(new Set(alertNames).size).toBe(alertNames.length);
    expect(ruleTests.rule_files).toEqual([path.basename(RULES)]);
  });

  it.each(alertNames)('%s has a test where it fires and one where it stays quiet', (alert) => {
    const cases = ruleTests.tests.flatMap((t) =>
      (t.alert_rule_test ?? []).filter((c) => c.alertname === alert),
    );
    expect(cases.some((c) => (c.exp_alerts ?? []).length > 0)).toBe(true);
    expect(cases.some((c) => Array.isArray(c.exp_alerts) && c.exp_alerts.length === 0)).toBe(true);
  });

  it.each(alertNames)(
    '%s has a severity, a summary, and reads only exported series of the pizza job',
    (alert) => {
      const rule = rules.find((r) => r.alert === alert) as AlertRule;
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toEqual(expect.any(String));
      const unknown = metricNames(rule.expr).filter((m) => !QUERYABLE_SERIES.has(m));
      expect(unknown).toEqual([]);
      // every series is scoped to the job, so the rules ignore other applications' series on a shared Prometheus
      for (const metric of metricNames(rule.expr)) {
        for (const use of rule.expr.matchAll(new RegExp(`\\b${metric}\\b(\\{[^}]*\\})?`, 'g'))) {
          expect([use[0], use[1]?.includes('job="pizza"')]).toEqual([use[0], true]);
        }
      }
    },
  );

  it.each(alertNames)('%s has a runbook line in the README with its severity', (alert) => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.split(/^### Alerts$/m)[1]?.split(/^##/m)[0] ?? '';
    const row = section.split('\n').find((line) => line.split('|')[1]?.trim() === `\`${alert}\``);
    expect(row).toBeDefined();
    const severity = rules.find((r) => r.alert === alert)?.labels?.severity ?? '';
    expect(row?.split('|')[2]?.trim()).toBe(severity);
  });
});
