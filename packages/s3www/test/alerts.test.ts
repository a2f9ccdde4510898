import { readFileSync } from 'fs';
import { join } from 'path';
import { Obj, synth } from './support/synth';
import { runPromtool } from '../../../tools/testing/promtool';

/**
 * The alerts run in Prometheus' own rule engine: `promtool check rules` validates the rule file
 * (PromQL and annotation templates), `promtool test rules` feeds synthetic series through the
 * rules and compares the alerts that fire, labels and rendered annotations included.
 */
const RUNBOOK = 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';
const TARGET = 'http://web.site.svc.cluster.local:80/';

const everything = synth({
  seed: { sources: [{ url: 'https://downloads.example.com/site/index.html' }] },
  autoscaling: { minReplicas: 2, maxReplicas: 6 },
  monitoring: {},
}, { namespace: 'site' });
const rules: Obj[] = everything.one('PrometheusRule').spec.groups[0].rules;

describe('rules', () => {
  test('one group named after the instance, with all four alerts when seeder and autoscaling are on', () => {
    expect(everything.one('PrometheusRule').metadata).toMatchObject({ name: 'web-alerts', namespace: 'site' });
    expect(everything.one('PrometheusRule').spec.groups[0].name).toBe('s3www.site.web');
    expect(rules.map((r) => r.alert)).toEqual(['S3wwwProbeFailing', 'S3wwwProbeSlow', 'S3wwwSeedJobFailed', 'S3wwwHpaAtMax']);
  });

  test('exact expressions, waits and severities', () => {
    expect(rules.map((r) => [r.alert, r.expr, r.for, r.labels])).toEqual([
      ['S3wwwProbeFailing', 'max(probe_success{job="s3www-site-web"}) == 0 or absent(probe_success{job="s3www-site-web"})', '5m', { severity: 'critical', namespace: 'site' }],
      ['S3wwwProbeSlow', 'max(probe_duration_seconds{job="s3www-site-web"}) > 1', '10m', { severity: 'warning', namespace: 'site' }],
      ['S3wwwSeedJobFailed', 'max by (namespace, job_name) (kube_job_failed{namespace="site",job_name=~"web-seed-[0-9a-f]+",condition="true"}) > 0', undefined, { severity: 'warning', namespace: 'site' }],
      ['S3wwwHpaAtMax', 'max(kube_horizontalpodautoscaler_status_current_replicas{namespace="site",horizontalpodautoscaler="web"}) >= max(kube_horizontalpodautoscaler_spec_max_replicas{namespace="site",horizontalpodautoscaler="web"})', '15m', { severity: 'warning', namespace: 'site' }],
    ]);
  });

  test('every alert has a summary, a description and a runbook anchor named after it', () => {
    for (const rule of rules) {
      expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.annotations.runbook_url).toBe(`${RUNBOOK}#${rule.alert.toLowerCase()}`);
    }
  });

  test('without seeder and autoscaling, only the probe alerts', () => {
    const result = synth({ monitoring: {} }, { namespace: 'site' });
    expect(result.one('PrometheusRule').spec.groups[0].rules.map((r: Obj) => r.alert)).toEqual(['S3wwwProbeFailing', 'S3wwwProbeSlow']);
  });

  test('no S3wwwHpaAtMax for an autoscaler whose minimum is its maximum (it always runs at its maximum)', () => {
    const result = synth({ autoscaling: { minReplicas: 3, maxReplicas: 3 }, monitoring: {} }, { namespace: 'site' });
    expect(result.one('PrometheusRule').spec.groups[0].rules.map((r: Obj) => r.alert)).toEqual(['S3wwwProbeFailing', 'S3wwwProbeSlow']);
  });

  test('thresholds and the runbook page follow the options', () => {
    const result = synth({ monitoring: { probeFailingMinutes: 2, slowProbeMillis: 250, runbookBaseUrl: 'https://wiki.example.com/s3www' } }, { namespace: 'site' });
    const [failing, slow] = result.one('PrometheusRule').spec.groups[0].rules;
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
    exp_labels: { namespace: 'site', ...labels },
    exp_annotations: { summary, description, runbook_url: `${RUNBOOK}#${name.toLowerCase()}` },
  });
  const FAILING_DESCRIPTION = `The blackbox exporter has not fetched ${TARGET} successfully for 5 minutes (or has not probed it at all): visitors most likely get errors.`;
  const FAILING = alert('S3wwwProbeFailing', { severity: 'critical' }, 's3www site/web fails its probe', FAILING_DESCRIPTION);
  const probe = (metric: string, values: string) => ({ series: `${metric}{job="s3www-site-web",instance="${TARGET}",namespace="site",service="web"}`, values });
  const ksm = (metric: string, labels: string, values: string) => ({ series: `${metric}{job="kube-state-metrics",namespace="site",${labels}}`, values });

  test('check rules accepts the rule file', () => {
    expect(runPromtool({ 'rules.yaml': everything.one('PrometheusRule').spec }, 'check', 'rules', 'rules.yaml')).toContain('SUCCESS: 4 rules found');
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
});
