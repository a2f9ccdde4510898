/**
 * The operations wiring of every environment: alerts that reach someone (the Alertmanager routing of
 * every alert of our PrometheusRules and of kube-prometheus-stack, through the real amtool), the
 * availability objective's rules (the real promtool), the CloudWatch alarms and their topic, the
 * budget, the disaster recovery copy, and the context values that configure them.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AlertmanagerConfigFile } from '../../../tools/testing/amtool';
import { runPromtool } from '../../../tools/testing/promtool';
import { EXAMPLE_CERTIFICATE_ARN } from '../src/deployment-target';
import { DEFAULT_DR_REGION, EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { buildReferenceApp } from '../src/reference-app';
import { committedContext, SynthesizedEnvironment } from '../src/synthesis';
import { synthesizedOnce } from './support/synthesized';

type Json = Record<string, any>;

const OFFLINE = { account: '123456789012', region: 'us-east-1' };
const WEBHOOK_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s3www/alerts-webhook-AbCdEf';

/** The alerts of kube-prometheus-stack's default rules, with their severity (packages/cluster/test). */
const chartAlerts = (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'packages', 'cluster', 'test', 'kube-prometheus-stack-alerts.json'), 'utf8')) as {
  alerts: Array<[string, string]>;
}).alerts;

/** The receiver each severity reaches (the cluster library's routing). */
const RECEIVER: Record<string, string> = { critical: 'page', warning: 'ticket', info: 'null', none: 'null' };

/** A CloudFormation value as text, each reference shown as REF(<logical id>). */
function text(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as any[]).map(text).join(value['Fn::Join'][0]);
  if (value.Ref) return `REF(${value.Ref})`;
  if (value['Fn::GetAtt']) return `REF(${value['Fn::GetAtt'][0]})`;
  return JSON.stringify(value);
}

const resourcesOf = (template: Json, type: string): Array<[string, Json]> =>
  Object.entries<Json>(template.Resources ?? {}).filter(([, r]) => r.Type === type);

describe.each(Object.values(EnvironmentName))('environment %s', (name) => {
  const config = ENVIRONMENTS[name];
  const monitored = config.operations?.prometheusRetention !== undefined;
  const copied = config.operations?.backupCopyRetention !== undefined;
  const synthesized = synthesizedOnce(name);
  let out: SynthesizedEnvironment;
  let template: Json;
  let topic: string;
  beforeAll(() => {
    out = synthesized();
    template = out.templates[`${out.stackName}.template.json`];
    [[topic]] = resourcesOf(template, 'AWS::SNS::Topic');
  });

  test('one notification topic, encrypted, that every CloudWatch alarm notifies when it fires and recovers', () => {
    expect(resourcesOf(template, 'AWS::SNS::Topic')).toHaveLength(1);
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const names = alarms.map((a) => String(a.AlarmName).replace(`${config.clusterName}-`, '')).sort();
    const zones = Array.from({ length: config.network.natGateways }, (_, i) => `us-east-1${'abc'[i]}`);
    expect(names).toEqual([
      ...(config.operations?.backupRetention ? ['BackupJobsFailed'] : []),
      ...(copied ? ['BackupCopyJobsFailed'] : []),
      'ControlPlaneErrors',
      'LoadBalancer5xx', 'LoadBalancerNoHealthyTargets', 'LoadBalancerUnhealthyTargets',
      ...zones.flatMap((z) => [`NatGatewayPacketsDropped-${z}`, `NatGatewayPortAllocation-${z}`]),
      ...(config.operations?.containerLogRetention ? ['NodeCpuHigh', 'NodeMemoryHigh', 'NodesFailed'] : []),
    ].sort());
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.OKActions).toEqual([{ Ref: topic }]);
      expect(alarm.AlarmDescription).toMatch(/ Runbook: https:\/\/github\.com\/s3www-eks\/s3www-eks\/blob\/main\/docs\/operations\.md#[a-z0-9]+$/);
    }
  });

  test('the site\'s load balancer is named by its Ingress and found by that name once the Ingress has its address', () => {
    const ingress = out.objects.find((o) => o.kind === 'Ingress');
    expect(ingress!.metadata.annotations['alb.ingress.kubernetes.io/load-balancer-name']).toBe(`${config.clusterName}-site`);
    const [[lookupId, lookup]] = resourcesOf(template, 'Custom::AWS').filter(([, r]) => text(r.Properties.Update).includes('describeLoadBalancers'));
    expect(JSON.parse(text(lookup.Properties.Update)).parameters).toEqual({ Names: [`${config.clusterName}-site`] });
    const [[hostLookup]] = resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesObjectValue');
    expect(lookup.DependsOn).toEqual(expect.arrayContaining([hostLookup]));
    expect(lookupId).toMatch(/SiteLoadBalancer/);
  });

  test(`a monthly budget of ${config.cluster.budget.monthlyLimitUsd} USD alerting the topic at 80% and 100%`, () => {
    const [[, budget]] = resourcesOf(template, 'AWS::Budgets::Budget');
    expect(budget.Properties.Budget).toMatchObject({ BudgetName: `${config.clusterName}-monthly`, BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: config.cluster.budget.monthlyLimitUsd, Unit: 'USD' } });
    expect(budget.Properties.NotificationsWithSubscribers.map((n: Json) => [n.Notification.Threshold, n.Subscribers])).toEqual([
      [80, [{ SubscriptionType: 'SNS', Address: { Ref: topic } }]],
      [100, [{ SubscriptionType: 'SNS', Address: { Ref: topic } }]],
    ]);
  });

  test('docs/operations.md says, for each alert and alarm, what it means and what to do first', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'operations.md'), 'utf8');
    const sections = Object.fromEntries(doc.split(/^### /m).slice(1).map((section) => [section.split('\n')[0].trim().toLowerCase(), section]));
    const anchorOf = (url: string) => url.slice(url.lastIndexOf('#') + 1);
    const anchors = [
      ...resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, a]) => anchorOf(a.Properties.AlarmDescription)),
      ...out.objects.filter((o) => o.kind === 'PrometheusRule')
        .flatMap((o) => o.spec.groups.flatMap((g: Json) => g.rules)).filter((r: Json) => r.alert)
        .map((r: Json) => anchorOf(r.annotations.runbook_url)),
    ];
    expect(anchors.length).toBeGreaterThan(5);
    for (const anchor of new Set(anchors)) {
      expect([anchor, Object.keys(sections).includes(anchor)]).toEqual([anchor, true]);
      expect([anchor, sections[anchor]]).toEqual([anchor, expect.stringContaining('**First:**')]);
    }
  });

  if (copied) {
    test(`copies every recovery point to a vault in ${DEFAULT_DR_REGION}, encrypted by a key of that region, kept ${config.operations!.backupCopyRetention!.toDays()} days`, () => {
      const recovery = out.templates[`${out.stackName}-dr.template.json`];
      const [[vaultId, vault]] = resourcesOf(recovery, 'AWS::Backup::BackupVault');
      const [[keyId, key]] = resourcesOf(recovery, 'AWS::KMS::Key');
      expect(vault).toMatchObject({ DeletionPolicy: 'Retain', Properties: { BackupVaultName: `${config.clusterName}-dr`, EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } } });
      expect(key).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
      expect(vaultId).toBeDefined();
      const manifest = JSON.parse(readFileSync(join(out.folders.cdkOut, 'manifest.json'), 'utf8'));
      expect(manifest.artifacts[`${out.stackName}-dr`].environment).toBe(`aws://123456789012/${DEFAULT_DR_REGION}`);
      expect(manifest.artifacts[out.stackName].dependencies).toEqual(expect.arrayContaining([`${out.stackName}-dr`]));
      const [[, plan]] = resourcesOf(template, 'AWS::Backup::BackupPlan');
      const [rule] = plan.Properties.BackupPlan.BackupPlanRule;
      expect(rule.Lifecycle.DeleteAfterDays).toBe(config.operations!.backupRetention!.toDays());
      expect(rule.CopyActions.map((c: Json) => [text(c.DestinationBackupVaultArn), c.Lifecycle.DeleteAfterDays])).toEqual([
        [`arn:REF(AWS::Partition):backup:${DEFAULT_DR_REGION}:123456789012:backup-vault:${config.clusterName}-dr`, config.operations!.backupCopyRetention!.toDays()],
      ]);
    });
  } else {
    test('keeps its recovery points in its own region only', () => {
      expect(Object.keys(out.templates)).toEqual([`${out.stackName}.template.json`]);
      for (const [, plan] of resourcesOf(template, 'AWS::Backup::BackupPlan')) {
        expect(plan.Properties.BackupPlan.BackupPlanRule[0].CopyActions).toBeUndefined();
      }
    });
  }

  if (!monitored) {
    test('without the monitoring stack there is no Alertmanager to route', () => {
      expect(resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart').map(([, r]) => r.Properties.Release)).not.toContain('kube-prometheus-stack');
    });
    return;
  }

  describe('Alertmanager routes every alert of our PrometheusRules and of kube-prometheus-stack (amtool)', () => {
    let file: AlertmanagerConfigFile;
    beforeAll(() => {
      const [[, release]] = resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart').filter(([, r]) => r.Properties.Release === 'kube-prometheus-stack');
      file = new AlertmanagerConfigFile(JSON.parse(text(release.Properties.Values)).alertmanager.config);
    });
    afterAll(() => file.remove());

    test('amtool check-config accepts the configuration', () => {
      expect(file.check()).toContain('SUCCESS');
    });

    test.each(['minio', 's3www'])('each alert of the %s PrometheusRule reaches the receiver of its severity', (library) => {
      const rules = out.objects.filter((o) => o.kind === 'PrometheusRule' && o.spec.groups.some((g: Json) => g.name.startsWith(`${library}.`)));
      expect(rules).toHaveLength(1);
      const alerts = rules[0].spec.groups.flatMap((g: Json) => g.rules).filter((r: Json) => r.alert);
      expect(alerts.length).toBeGreaterThanOrEqual(5);
      const routed = alerts.map((r: Json) => [r.alert, r.labels.severity, file.receiversOf({ alertname: r.alert, ...r.labels }).join(',')]);
      expect(routed).toEqual(alerts.map((r: Json) => [r.alert, r.labels.severity, RECEIVER[r.labels.severity]]));
      // every alert names its component, for the inhibition of its warnings by its critical alerts
      expect(new Set(alerts.map((r: Json) => r.labels.component))).toEqual(new Set([`${library}/${library}`]));
    });

    test('kube-prometheus-stack\'s alerts reach the receiver of their severity (one per severity, and the heartbeats)', () => {
      // The cluster library's test routes all of them through the same configuration.
      const sample = chartAlerts.filter(([alertname, severity], i) =>
        ['Watchdog', 'InfoInhibitor'].includes(alertname) || chartAlerts.findIndex(([, s]) => s === severity) === i);
      expect(new Set(sample.map(([, severity]) => severity))).toEqual(new Set(['critical', 'warning', 'info', 'none']));
      const routed = sample.map(([alertname, severity]) => [alertname, file.receiversOf({ alertname, severity, namespace: 'monitoring' }).join(',')]);
      expect(routed).toEqual(sample.map(([alertname, severity]) => [alertname, RECEIVER[severity]]));
    });
  });

  describe('the availability objective (promtool)', () => {
    let rule: Json;
    beforeAll(() => {
      rule = out.objects.find((o) => o.kind === 'PrometheusRule' && o.metadata.name === 's3www-alerts')!;
    });

    test('the probe fetches the seeded gif: its success and latency are the indicators', () => {
      const probe = out.objects.find((o) => o.kind === 'Probe');
      expect(probe!.spec.targets.staticConfig.static).toEqual([`http://s3www.${config.namespace}.svc.cluster.local:80/giphy.gif`]);
      expect(runPromtool({ 'rules.yaml': rule.spec }, 'check', 'rules', 'rules.yaml')).toMatch(/SUCCESS: \d+ rules found/);
    });

    test('10% failed probes page, 0.5% open a ticket and never page', () => {
      const job = `s3www-${config.namespace}-s3www`;
      const probes = (values: string) => [{ series: `probe_success{job="${job}",instance="x",namespace="${config.namespace}",service="s3www"}`, values }];
      const oneFailedIn = (every: number, count: number) => Array.from({ length: count }, () => `1x${every - 2} 0`).join(' ');
      const firing = (alertname: string, severity: string) => [{
        exp_labels: { severity, job, namespace: config.namespace, component: 's3www/s3www' },
        exp_annotations: rule.spec.groups.flatMap((g: Json) => g.rules).find((r: Json) => r.alert === alertname).annotations,
      }];
      const tests = [
        {
          name: 'fast burn',
          interval: '30s',
          input_series: probes(`1x119 ${oneFailedIn(10, 12)}`),
          alert_rule_test: [
            { eval_time: '60m', alertname: 'S3wwwErrorBudgetBurnFast', exp_alerts: [] },
            { eval_time: '76m', alertname: 'S3wwwErrorBudgetBurnFast', exp_alerts: firing('S3wwwErrorBudgetBurnFast', 'critical') },
          ],
        },
        {
          name: 'slow burn',
          interval: '30s',
          input_series: probes(oneFailedIn(200, 8)),
          alert_rule_test: [
            { eval_time: '13h', alertname: 'S3wwwErrorBudgetBurnSlow', exp_alerts: firing('S3wwwErrorBudgetBurnSlow', 'warning') },
            { eval_time: '13h', alertname: 'S3wwwErrorBudgetBurnFast', exp_alerts: [] },
          ],
        },
      ];
      const output = runPromtool({ 'rules.yaml': rule.spec, 'tests.yaml': { rule_files: ['rules.yaml'], evaluation_interval: '30s', tests } }, 'test', 'rules', 'tests.yaml');
      expect(output).toContain('SUCCESS');
    });
  });
});

describe('context values', () => {
  const build = (context: Record<string, string>, env = 'prod') =>
    // staging and prod serve HTTPS only: they get the example certificate, as the main job gives them
    buildReferenceApp(new App({ context: { ...committedContext(), env, certificateArn: EXAMPLE_CERTIFICATE_ARN, ...context } }), { target: OFFLINE });

  test('-c alertEmails subscribes each address to the topic', () => {
    const template = Template.fromStack(build({ alertEmails: 'oncall@example.com, lead@example.com' }, 'dev'));
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => [s.Properties.Protocol, s.Properties.Endpoint]);
    expect(subscriptions).toEqual([['email', 'oncall@example.com'], ['email', 'lead@example.com']]);
  });

  test('-c chatWebhookSecretArn syncs that secret into Alertmanager\'s Secret; the template holds its ARN only', () => {
    const template = Template.fromStack(build({ chatWebhookSecretArn: WEBHOOK_ARN }, 'staging'));
    const syncs = Object.entries(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).filter(([id]) => id.includes('ChatWebhookSync'));
    expect(syncs).toHaveLength(1);
    const externalSecret = JSON.parse(text(syncs[0][1].Properties.Manifest)).find((o: Json) => o.kind === 'ExternalSecret');
    expect(externalSecret.spec.data).toEqual([{ secretKey: 'url', remoteRef: { key: WEBHOOK_ARN } }]);
  });

  test('-c drRegion moves the recovery vault', () => {
    const stack = build({ drRegion: 'eu-west-1' });
    expect(stack.recovery!.region).toBe('eu-west-1');
  });

  test('the recovery stack and its key say what they hold', () => {
    const recovery = build({}).recovery!;
    expect(recovery.templateOptions.description).toBe('s3www-eks reference system (prod): disaster recovery vault of the volume backups');
    Template.fromStack(recovery).hasResourceProperties('AWS::KMS::Key', {
      Description: `AWS Backup copies of the EKS cluster ${ENVIRONMENTS.prod.clusterName} volumes (disaster recovery)`,
    });
  });

  test('-c drRegion is checked where nothing is copied too, and used nowhere there', () => {
    expect(ENVIRONMENTS.dev.operations?.backupCopyRetention).toBeUndefined();
    expect(() => build({ drRegion: 'west' }, 'dev')).toThrow("'-c drRegion' must be an AWS region name such as us-west-2, got \"west\"");
    expect(build({ drRegion: 'eu-west-1' }, 'dev').recovery).toBeUndefined();
  });

  test('an environment that copies nothing deploys to the default recovery region without -c drRegion', () => {
    const app = new App({ context: { ...committedContext(), env: 'dev' } });
    expect(buildReferenceApp(app, { target: { ...OFFLINE, region: DEFAULT_DR_REGION } }).recovery).toBeUndefined();
  });

  test.each([
    ['alertEmails', 'oncall@example.com,oncall', "'-c alertEmails' must list e-mail addresses (name@domain.tld), separated by commas, got \"oncall\""],
    ['alertEmails', 'a@example.com,a@example.com', "'-c alertEmails' must name each address once, got \"a@example.com\" twice"],
    ['chatWebhookSecretArn', 'https://hooks.slack.com/services/T000/B000/XXXX',
      "'-c chatWebhookSecretArn' must be the complete ARN of a Secrets Manager secret holding the chat webhook URL "
      + '(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), got a URL: store the URL in Secrets Manager and pass the secret\'s ARN, never the URL'],
    ['chatWebhookSecretArn', 'arn:aws:ssm:us-east-1:123456789012:parameter/webhook',
      "'-c chatWebhookSecretArn' must be the complete ARN of a Secrets Manager secret holding the chat webhook URL "
      + '(arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>), got "arn:aws:ssm:us-east-1:123456789012:parameter/webhook"'],
    ['chatWebhookSecretArn', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-AbCdEf',
      "'-c chatWebhookSecretArn' must be a secret in the stack's region (us-east-1), where External Secrets Operator reads it, got one in eu-west-1"],
    ['drRegion', 'us-east-1', "'-c drRegion' must be another region than the stack's (us-east-1): copies in the same region do not survive its loss, got \"us-east-1\""],
    ['drRegion', 'west', "'-c drRegion' must be an AWS region name such as us-west-2, got \"west\""],
  ])('-c %s=%s is refused', (key, value, message) => {
    expect(() => build({ [key]: value })).toThrow(message);
  });

  test('a refused webhook URL is not echoed', () => {
    expect(() => build({ chatWebhookSecretArn: 'https://hooks.slack.com/services/T000/B000/XXXX' })).not.toThrow(/hooks\.slack\.com/);
  });
});
