import { readFileSync } from 'fs';
import { join } from 'path';
import { Obj, siteSeeder, synth } from './support/synth';
import { runPromtool } from '../../../tools/testing/promtool';

/**
 * The alerts run in Prometheus' own rule engine: `promtool check rules` validates the rule file
 * (PromQL and annotation templates), `promtool test rules` feeds synthetic series through the
 * rules and compares the alerts that fire, labels and rendered annotations included.
 */
const RUNBOOK = 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';
const TARGET = 'http://web.site.svc.cluster.local:80/';

const everything = synth((chart) => ({
  autoscaling: { minReplicas: 2, maxReplicas: 6 },
  monitoring: { seeder: siteSeeder(chart) },
}), { namespace: 'site' });
const groups: Obj[] = everything.one('PrometheusRule').spec.groups;
const rules: Obj[] = groups[1].rules;
const LABELS = { namespace: 'site', component: 's3www/web' };

describe('rules', () => {
  test('two groups named after the instance: the recorded indicators, then all six alerts when seeder and autoscaling are on', () => {
    expect(everything.one('PrometheusRule').metadata).toMatchObject({ name: 'web-alerts', namespace: 'site' });
    expect(groups.map((g) => g.name)).toEqual(['s3www.site.web.sli', 's3www.site.web']);
    expect(rules.map((r) => r.alert)).toEqual([
      'S3wwwProbeFailing', 'S3wwwProbeSlow', 'S3wwwErrorBudgetBurnFast', 'S3wwwErrorBudgetBurnSlow', 'S3wwwSeedJobFailed', 'S3wwwHpaAtMax',
    ]);
  });

  test('exact expressions, waits, severities and the component label that Alertmanager inhibits by', () => {
    const sli = (w: string) => `s3www:probe_success:avg_over_time${w}{job="s3www-site-web"}`;
    expect(rules.map((r) => [r.alert, r.expr, r.for, r.labels])).toEqual([
      ['S3wwwProbeFailing', 'max(probe_success{job="s3www-site-web"}) == 0 or absent(probe_success{job="s3www-site-web"})', '5m', { severity: 'critical', ...LABELS }],
      ['S3wwwProbeSlow', 'max(probe_duration_seconds{job="s3www-site-web"}) > 1', '10m', { severity: 'warning', ...LABELS }],
      ['S3wwwErrorBudgetBurnFast',
        `((1 - ${sli('1h')}) > 0.0144 and (1 - ${sli('5m')}) > 0.0144) or ((1 - ${sli('6h')}) > 0.006 and (1 - ${sli('30m')}) > 0.006)`,
        '2m', { severity: 'critical', ...LABELS }],
      ['S3wwwErrorBudgetBurnSlow',
        `((1 - ${sli('1d')}) > 0.003 and (1 - ${sli('2h')}) > 0.003) or ((1 - ${sli('3d')}) > 0.001 and (1 - ${sli('6h')}) > 0.001)`,
        '15m', { severity: 'warning', ...LABELS }],
      ['S3wwwSeedJobFailed', 'max by (namespace, job_name) (kube_job_failed{namespace="site",job_name=~"web-seed-[0-9a-f]{10}",condition="true"}) > 0', undefined, { severity: 'warning', ...LABELS }],
      ['S3wwwHpaAtMax', 'max(kube_horizontalpodautoscaler_status_current_replicas{namespace="site",horizontalpodautoscaler="web"}) >= max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="site",horizontalpodautoscaler="web"})', '15m', { severity: 'warning', ...LABELS }],
    ]);
  });

  test('the recorded indicators: share of successful probes per burn-rate window and over 30 days, budget left, latency', () => {
    expect(groups[0].rules).toEqual([
      ...['5m', '30m', '1h', '2h', '6h'].map((w) => ({
        record: `s3www:probe_success:avg_over_time${w}`,
        expr: `avg by (job) (avg_over_time(probe_success{job="s3www-site-web"}[${w}]))`,
        labels: { namespace: 'site' },
      })),
      ...['1d', '3d', '30d'].map((w) => ({
        record: `s3www:probe_success:avg_over_time${w}`,
        expr: `avg_over_time(s3www:probe_success:avg_over_time1h{job="s3www-site-web"}[${w}])`,
        labels: { namespace: 'site' },
      })),
      { record: 's3www:error_budget_remaining:ratio30d', expr: '1 - (1 - s3www:probe_success:avg_over_time30d{job="s3www-site-web"}) / 0.001', labels: { namespace: 'site' } },
      { record: 's3www:probe_duration_seconds:avg_over_time5m', expr: 'avg by (job) (avg_over_time(probe_duration_seconds{job="s3www-site-web"}[5m]))', labels: { namespace: 'site' } },
      { record: 's3www:probe_duration_seconds:quantile95_over_time1h', expr: 'max by (job) (quantile_over_time(0.95, probe_duration_seconds{job="s3www-site-web"}[1h]))', labels: { namespace: 'site' } },
    ]);
  });

  test('the objective sets the error budget of every burn-rate threshold and of the budget left', () => {
    const result = synth({ monitoring: { availabilityObjective: 99.5 } }, { namespace: 'site' });
    const [sli, alerts] = result.one('PrometheusRule').spec.groups;
    const fast = alerts.rules.find((r: Obj) => r.alert === 'S3wwwErrorBudgetBurnFast');
    expect(fast.expr.match(/> [0-9.]+/g)).toEqual(['> 0.072', '> 0.072', '> 0.03', '> 0.03']);
    expect(fast.annotations.description).toContain('the 99.5% availability objective (3.6 hours of failed probes in 30 days)');
    expect(sli.rules.find((r: Obj) => r.record === 's3www:error_budget_remaining:ratio30d').expr).toMatch(/\/ 0\.005$/);
  });

  test('every alert has a summary, a description and a runbook anchor named after it', () => {
    for (const rule of rules) {
      expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.annotations.runbook_url).toBe(`${RUNBOOK}#${rule.alert.toLowerCase()}`);
    }
  });

  const PROBE_ALERTS = ['S3wwwProbeFailing', 'S3wwwProbeSlow', 'S3wwwErrorBudgetBurnFast', 'S3wwwErrorBudgetBurnSlow'];

  test('without seeder and autoscaling, only the probe and error budget alerts', () => {
    const result = synth({ monitoring: {} }, { namespace: 'site' });
    expect(result.one('PrometheusRule').spec.groups[1].rules.map((r: Obj) => r.alert)).toEqual(PROBE_ALERTS);
  });

  test('no S3wwwHpaAtMax for an autoscaler whose minimum is its maximum (it always runs at its maximum)', () => {
    const result = synth({ autoscaling: { minReplicas: 3, maxReplicas: 3 }, monitoring: {} }, { namespace: 'site' });
    expect(result.one('PrometheusRule').spec.groups[1].rules.map((r: Obj) => r.alert)).toEqual(PROBE_ALERTS);
  });

  test('thresholds and the runbook page follow the options', () => {
    const result = synth({ monitoring: { probeFailingMinutes: 2, slowProbeMillis: 250, runbookBaseUrl: 'https://wiki.example.com/s3www' } }, { namespace: 'site' });
    const [failing, slow] = result.one('PrometheusRule').spec.groups[1].rules;
    expect(failing.for).toBe('2m');
    expect(slow.expr).toBe('max(probe_duration_seconds{job="s3www-site-web"}) > 0.25');
    expect(slow.annotations.runbook_url).toBe('https://wiki.example.com/s3www#s3wwwprobeslow');
  });
});

describe('documentation', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const runbooks = readFileSync(join(__dirname, '..', 'docs', 'alerts.md'), 'utf8');

  test('every alert has a runbook section in docs/alerts.md and a row in the README, and no other alert is documented', () => {
    const names = rules.map((r) => r.alert);
    expect([...runbooks.matchAll(/^## (\w+)$/gm)].map((m) => m[1])).toEqual(names);
    expect([...readme.matchAll(/^\| `(S3www\w+)` \|/gm)].map((m) => m[1])).toEqual(names);
  });
});

describe('promtool', () => {
  const alert = (name: string, labels: Obj, summary: string, description: string) => ({
    exp_labels: { ...LABELS, ...labels },
    exp_annotations: { summary, description, runbook_url: `${RUNBOOK}#${name.toLowerCase()}` },
  });
  const FAILING_DESCRIPTION = `The blackbox exporter has not fetched ${TARGET} successfully for 5 minutes (or has not probed it at all): visitors most likely get errors.`;
  const FAILING = alert('S3wwwProbeFailing', { severity: 'critical' }, 's3www site/web fails its probe', FAILING_DESCRIPTION);
  const probe = (metric: string, values: string) => ({ series: `${metric}{job="s3www-site-web",instance="${TARGET}",namespace="site",service="web"}`, values });
  const ksm = (metric: string, labels: string, values: string) => ({ series: `${metric}{job="kube-state-metrics",namespace="site",${labels}}`, values });

  test('check rules accepts the rule file', () => {
    expect(runPromtool({ 'rules.yaml': everything.one('PrometheusRule').spec }, 'check', 'rules', 'rules.yaml')).toContain('SUCCESS: 17 rules found');
  });

  test('test rules: each alert fires on its condition, after its wait, and not otherwise', () => {
    // GIVEN
    const tests = [
      {
        name: 'S3wwwProbeFailing: probe failing for 5 minutes, not before; a recovery clears it',
        interval: '1m',
        input_series: [probe('probe_success', '1 1 0x6 1x5')],
        alert_rule_test: [
          { eval_time: '6m', alertname: 'S3wwwProbeFailing', exp_alerts: [] },
          { eval_time: '7m', alertname: 'S3wwwProbeFailing', exp_alerts: [FAILING] },
          { eval_time: '10m', alertname: 'S3wwwProbeFailing', exp_alerts: [] },
        ],
      },
      {
        name: 'S3wwwProbeFailing: no probe series at all (prober down or Probe not selected)',
        interval: '1m',
        input_series: [probe('probe_success_other', '1x10')],
        alert_rule_test: [{ eval_time: '6m', alertname: 'S3wwwProbeFailing', exp_alerts: [{ ...FAILING, exp_labels: { ...FAILING.exp_labels, job: 's3www-site-web' } }] }],
      },
      {
        name: 'S3wwwProbeSlow: above 1s for 10 minutes',
        interval: '1m',
        input_series: [probe('probe_success', '1x20'), probe('probe_duration_seconds', '0.2 2.5x15')],
        alert_rule_test: [
          { eval_time: '9m', alertname: 'S3wwwProbeSlow', exp_alerts: [] },
          {
            eval_time: '12m',
            alertname: 'S3wwwProbeSlow',
            exp_alerts: [alert('S3wwwProbeSlow', { severity: 'warning' }, 's3www site/web answers its probe in 2.5s',
              `Fetching ${TARGET} has taken more than 1s for 10 minutes: the pods, the network or the bucket are slow.`)],
          },
        ],
      },
      {
        name: 'S3wwwSeedJobFailed: a failed seeder Job fires at once; other Jobs and namespaces do not count',
        interval: '1m',
        input_series: [
          ksm('kube_job_failed', 'job_name="web-seed-0123456789",condition="true"', '0 1x5'),
          ksm('kube_job_failed', 'job_name="web-seed-0123456789",condition="false"', '1 0x5'),
          ksm('kube_job_failed', 'job_name="other-seed-0123456789",condition="true"', '1x5'),
          { series: 'kube_job_failed{job="kube-state-metrics",namespace="elsewhere",job_name="web-seed-0123456789",condition="true"}', values: '1x5' },
        ],
        alert_rule_test: [
          { eval_time: '0m', alertname: 'S3wwwSeedJobFailed', exp_alerts: [] },
          {
            eval_time: '1m',
            alertname: 'S3wwwSeedJobFailed',
            exp_alerts: [alert('S3wwwSeedJobFailed', { severity: 'warning', job_name: 'web-seed-0123456789' }, 's3www seeder Job web-seed-0123456789 failed',
              'The Job seeding the bucket of site/web gave up after its retries: the site may be missing files or serve old ones.')],
          },
        ],
      },
      {
        name: 'S3wwwHpaAtMax: at the maximum for 15 minutes',
        interval: '1m',
        input_series: [
          ksm('kube_horizontalpodautoscaler_status_current_replicas', 'horizontalpodautoscaler="web"', '4 6x20'),
          ksm('kube_horizontalpodautoscaler_spec_max_replicas', 'horizontalpodautoscaler="web"', '6x21'),
        ],
        alert_rule_test: [
          { eval_time: '15m', alertname: 'S3wwwHpaAtMax', exp_alerts: [] },
          {
            eval_time: '17m',
            alertname: 'S3wwwHpaAtMax',
            exp_alerts: [alert('S3wwwHpaAtMax', { severity: 'warning' }, 's3www site/web has run at its maximum of 6 replicas for 15 minutes',
              "The autoscaler of site/web cannot add pods: more load will slow the site down. Raise 'autoscaling.maxReplicas' or find the cause of the load.")],
          },
        ],
      },
    ];
    // WHEN
    const output = runPromtool({
      'rules.yaml': everything.one('PrometheusRule').spec,
      'tests.yaml': { rule_files: ['rules.yaml'], evaluation_interval: '1m', tests },
    }, 'test', 'rules', 'tests.yaml');
    // THEN
    expect(output).toContain('SUCCESS');
  });

  describe('availability objective: multi-window burn rates on synthetic probes every 30 s', () => {
    const OBJECTIVE = 'the 99.9% availability objective (43.2 minutes of failed probes in 30 days)';
    const FAST = alert('S3wwwErrorBudgetBurnFast', { severity: 'critical', job: 's3www-site-web' }, 's3www site/web is spending its error budget fast',
      `Failed probes spend the error budget of ${OBJECTIVE} so fast that it is gone within 2 days (more than 2% of it in 1 hour, or 5% in 6 hours): some visitors get errors.`);
    const SLOW = alert('S3wwwErrorBudgetBurnSlow', { severity: 'warning', job: 's3www-site-web' }, 's3www site/web is spending its error budget too fast for the month',
      `Failed probes spend the error budget of ${OBJECTIVE} so fast that it is gone before the 30 days are over (10% of it in 1 day, or in 3 days): a few visitors get errors.`);
    const quiet = (at: string) => ['S3wwwErrorBudgetBurnFast', 'S3wwwErrorBudgetBurnSlow', 'S3wwwProbeFailing'].map((alertname) => ({ eval_time: at, alertname, exp_alerts: [] }));
    /** `count` repetitions of `every - 1` successful probes followed by one failed probe. */
    const oneFailedIn = (every: number, count: number) => Array.from({ length: count }, () => `1x${every - 2} 0`).join(' ');
    const budgetLeft = (condition: string) => `s3www:error_budget_remaining:ratio30d{job="s3www-site-web"} ${condition}`;
    const sample = { labels: '{job="s3www-site-web", namespace="site"}', value: 1 };

    test('fast burn: one failed probe in 10 (10%) pages within 15 minutes, without a probe failing for 5 minutes in a row', () => {
      // GIVEN: an hour of successful probes, then every 10th fails
      const tests = [{
        name: 'fast burn',
        interval: '30s',
        input_series: [probe('probe_success', `1x119 ${oneFailedIn(10, 12)}`)],
        alert_rule_test: [
          ...quiet('60m'),
          // one failed probe in the last hour (0.8%) is below 14.4 times the budget (1.44%)
          { eval_time: '66m', alertname: 'S3wwwErrorBudgetBurnFast', exp_alerts: [] },
          // three failed probes in the last hour: 2.5%
          { eval_time: '76m', alertname: 'S3wwwErrorBudgetBurnFast', exp_alerts: [FAST] },
          { eval_time: '76m', alertname: 'S3wwwProbeFailing', exp_alerts: [] },
        ],
        promql_expr_test: [{ expr: budgetLeft('< bool 0'), eval_time: '76m', exp_samples: [sample] }],
      }, {
        name: 'slow burn: one failed probe in 200 (0.5%) opens a ticket, never a page',
        interval: '30s',
        input_series: [probe('probe_success', oneFailedIn(200, 8))],
        alert_rule_test: [
          ...quiet('90m'),
          { eval_time: '3h', alertname: 'S3wwwErrorBudgetBurnSlow', exp_alerts: [SLOW] },
          ...['2h', '6h', '13h'].map((at) => ({ eval_time: at, alertname: 'S3wwwErrorBudgetBurnFast', exp_alerts: [] })),
          { eval_time: '13h', alertname: 'S3wwwErrorBudgetBurnSlow', exp_alerts: [SLOW] },
        ],
        promql_expr_test: [{ expr: budgetLeft('< bool 0'), eval_time: '13h', exp_samples: [sample] }],
      }];
      // WHEN
      const output = runPromtool({
        'rules.yaml': everything.one('PrometheusRule').spec,
        'tests.yaml': { rule_files: ['rules.yaml'], evaluation_interval: '30s', tests },
      }, 'test', 'rules', 'tests.yaml');
      // THEN
      expect(output).toContain('SUCCESS');
    });

    test('a healthy month: one failed probe a day stays quiet for 30 days and leaves about two thirds of the budget', () => {
      // GIVEN: 30 days of probes every 30 s, one failed a day (0.035%, a third of the 0.1% budget), the
      // last probe of each day, so that every evaluation on the hour sees it in its shortest windows.
      // Rules are evaluated every 30 minutes (in Prometheus every 30 s) to keep the month fast: the
      // windows of a day and more average the hourly share, which that interval samples evenly.
      const tests = [{
        name: 'healthy month',
        interval: '30s',
        input_series: [probe('probe_success', oneFailedIn(2880, 30))],
        alert_rule_test: ['1d1h', '7d', '15d', '22d', '29d', '30d'].flatMap(quiet),
        promql_expr_test: [{ expr: `(${budgetLeft('> bool 0.6')}) * (${budgetLeft('< bool 0.7')})`, eval_time: '30d', exp_samples: [sample] }],
      }];
      // WHEN
      const output = runPromtool({
        'rules.yaml': everything.one('PrometheusRule').spec,
        'tests.yaml': { rule_files: ['rules.yaml'], evaluation_interval: '30m', tests },
      }, 'test', 'rules', 'tests.yaml');
      // THEN
      expect(output).toContain('SUCCESS');
    });
  });
});
