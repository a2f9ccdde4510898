import { readFileSync } from 'fs';
import { join } from 'path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AlertmanagerConfigFile, startAlertmanager } from '../../../tools/testing/amtool';
import { ChatWebhook, Cluster, Monitoring } from '../src';
import { helmReleases, manifests, vpcStack } from './fixtures';

/**
 * The Alertmanager configuration runs through the real `amtool`: `check-config` loads it as
 * Alertmanager does, `config routes test` walks the routing tree for each alert's labels.
 */
const HELM = 'Custom::AWSCDK-EKS-HelmChart';
const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';

/** The alerts kube-prometheus-stack's default rules define, with their severity (see the file's `source`). */
const chartAlerts = JSON.parse(readFileSync(join(__dirname, 'kube-prometheus-stack-alerts.json'), 'utf8')) as { version: string; alerts: Array<[string, string]> };

/** A CloudFormation value as text, each reference shown as REF(<logical id>). */
function text(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as any[]).map(text).join(value['Fn::Join'][0]);
  if (value.Ref) return `REF(${value.Ref})`;
  if (value['Fn::GetAtt']) return `REF(${value['Fn::GetAtt'][0]})`;
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

/** The kube-prometheus-stack values of a template, references resolved to REF(<logical id>). */
function stackValues(template: Template): Record<string, any> {
  return JSON.parse(text(helmReleases(template)['kube-prometheus-stack'].Values));
}

function logicalId(template: Template, type: string, pattern: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(pattern));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** The receiver each severity reaches. */
const EXPECTED: Record<string, string> = { critical: 'page', warning: 'ticket', info: 'null', none: 'null' };

describe('Alertmanager with a topic, e-mails and a chat webhook (plain-text secret)', () => {
  let template: Template;
  let config: Record<string, any>;
  let file: AlertmanagerConfigFile;
  beforeAll(() => {
    const { stack, vpc } = vpcStack();
    const webhook = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Webhook', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:alerts/chat-AbCdEf');
    new Cluster(stack, 'Cluster', {
      vpc,
      monitoring: {},
      notifications: { emails: ['oncall@example.com'], chatWebhook: ChatWebhook.slack(webhook, { channel: '#alerts' }) },
    });
    template = Template.fromStack(stack);
    config = stackValues(template).alertmanager.config;
    file = new AlertmanagerConfigFile(config);
  });
  afterAll(() => file.remove());

  test('amtool check-config loads the configuration Alertmanager gets, and would refuse a broken one', () => {
    expect(file.check()).toContain('SUCCESS');
    const broken = new AlertmanagerConfigFile({ ...config, route: { ...config.route, receiver: 'pager' } });
    try {
      expect(() => broken.check()).toThrow(/undefined receiver "pager"/);
    } finally {
      broken.remove();
    }
  });

  test('critical pages (topic and chat), warning tickets (chat), info and none reach nobody: every kube-prometheus-stack alert', () => {
    expect(chartAlerts.version).toBe('88.1.3');
    expect(chartAlerts.alerts.length).toBeGreaterThan(100);
    const routed = chartAlerts.alerts.map(([alertname, severity]) => [alertname, severity, file.receiversOf({ alertname, severity, namespace: 'kube-system' }).join(',')]);
    expect(routed).toEqual(chartAlerts.alerts.map(([alertname, severity]) => [alertname, severity, EXPECTED[severity]]));
  });

  test('the Watchdog heartbeat and InfoInhibitor reach nobody, and an alert without a known severity opens a ticket', () => {
    expect(file.receiversOf({ alertname: 'Watchdog', severity: 'none' })).toEqual(['null']);
    expect(file.receiversOf({ alertname: 'InfoInhibitor', severity: 'none' })).toEqual(['null']);
    expect(file.receiversOf({ alertname: 'Custom' })).toEqual(['ticket']);
    expect(file.receiversOf({ alertname: 'Custom', severity: 'error' })).toEqual(['ticket']);
  });

  test('the receivers: page is the SNS topic and the chat, ticket the chat only; the URL is a file', () => {
    const topic = `REF(${logicalId(template, 'AWS::SNS::Topic', 'Notifications')})`;
    const sns = { topic_arn: topic, sigv4: { region: 'us-east-1' }, send_resolved: true, attributes: { severity: expect.stringContaining('.CommonLabels.severity') } };
    const chat = {
      api_url_file: '/etc/alertmanager/secrets/alertmanager-chat-webhook/url',
      channel: '#alerts',
      send_resolved: true,
      title: '{{ template "slack.default.title" . }}',
      text: expect.stringContaining('{{ .Annotations.runbook_url }}'),
    };
    expect(config.receivers).toEqual([
      { name: 'null' },
      { name: 'page', sns_configs: [sns], slack_configs: [chat] },
      { name: 'ticket', slack_configs: [chat] },
    ]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/"api_url"|hooks\.slack\.com/);
  });

  test('groups by alert, namespace and component; a critical alert inhibits the warnings of its component', () => {
    expect(config.route).toMatchObject({ group_by: ['alertname', 'namespace', 'component'], group_wait: '30s', group_interval: '5m', repeat_interval: '12h' });
    expect(config.inhibit_rules[0]).toEqual({
      source_matchers: ['severity = "critical"', 'component =~ ".+"'],
      target_matchers: ['severity = "warning"'],
      equal: ['namespace', 'component'],
    });
  });

  test('the real Alertmanager holds back the warnings of a component while its critical alert fires, and nothing else', async () => {
    // GIVEN: Alertmanager running the configuration on loopback
    const alertmanager = await startAlertmanager(config);
    try {
      // WHEN: alerts as MinIO's, s3www's and kube-prometheus-stack's rules label them
      await alertmanager.send([
        { alertname: 'MinioDown', severity: 'critical', namespace: 's3www', component: 'minio/minio' },
        { alertname: 'MinioNotReady', severity: 'warning', namespace: 's3www', component: 'minio/minio' },
        { alertname: 'MinioCapacityHigh', severity: 'warning', namespace: 's3www', component: 'minio/minio' },
        { alertname: 'MinioNotReady', severity: 'warning', namespace: 'archive', component: 'minio/minio' },
        { alertname: 'S3wwwProbeSlow', severity: 'warning', namespace: 's3www', component: 's3www/s3www' },
        { alertname: 'KubePodCrashLooping', severity: 'warning', namespace: 's3www', pod: 'web-0' },
        { alertname: 'KubeAPIErrorBudgetBurn', severity: 'critical', namespace: 'kube-system', long: '1h' },
        { alertname: 'KubeAPIErrorBudgetBurn', severity: 'warning', namespace: 'kube-system', long: '1d' },
      ]);
      // THEN
      const states = (await alertmanager.alerts()).map((a) => `${a.labels.alertname} ${a.labels.namespace} ${a.labels.severity}: ${a.status.state}`).sort();
      expect(states).toEqual([
        'KubeAPIErrorBudgetBurn kube-system critical: active',
        'KubeAPIErrorBudgetBurn kube-system warning: suppressed', // the chart's rule: same alert name and namespace
        'KubePodCrashLooping s3www warning: active',
        'MinioCapacityHigh s3www warning: suppressed', // MinioDown of the same component
        'MinioDown s3www critical: active',
        'MinioNotReady archive warning: active', // another namespace
        'MinioNotReady s3www warning: suppressed',
        'S3wwwProbeSlow s3www warning: active', // another component
      ]);
    } finally {
      await alertmanager.stop();
    }
  });

  test('sets every key of the chart\'s default configuration, so Helm\'s merge with it changes nothing', () => {
    expect(Object.keys(config).sort()).toEqual(['global', 'inhibit_rules', 'receivers', 'route', 'templates']);
    expect(Object.keys(config.route).sort()).toEqual(['group_by', 'group_interval', 'group_wait', 'receiver', 'repeat_interval', 'routes']);
  });

  test('Alertmanager publishes with its own Pod Identity role, which may publish to the topic and use its key', () => {
    const association = logicalId(template, 'AWS::EKS::PodIdentityAssociation', 'AlertmanagerIdentity');
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'monitoring', ServiceAccount: 'kube-prometheus-stack-alertmanager' });
    expect(stackValues(template).alertmanager.serviceAccount).toEqual({ create: true, name: Monitoring.ALERTMANAGER_SERVICE_ACCOUNT });
    const role = template.toJSON().Resources[association].Properties.RoleArn['Fn::GetAtt'][0];
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: logicalId(template, 'AWS::SNS::Topic', 'Notifications') } }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      },
    });
    const release = template.toJSON().Resources[logicalId(template, HELM, 'PrometheusStack')];
    expect(release.DependsOn).toEqual(expect.arrayContaining([association]));
  });

  test('External Secrets Operator copies the whole secret into the Secret Alertmanager mounts, before the release', () => {
    const sync = logicalId(template, MANIFEST, 'ChatWebhookSync');
    const objects = JSON.parse(text(template.toJSON().Resources[sync].Properties.Manifest));
    const externalSecret = objects.find((o: any) => o.kind === 'ExternalSecret');
    expect(externalSecret.metadata).toMatchObject({ name: 'alertmanager-chat-webhook', namespace: 'monitoring' });
    expect(externalSecret.spec.data).toEqual([{ secretKey: 'url', remoteRef: { key: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:alerts/chat-AbCdEf' } }]);
    expect(stackValues(template).alertmanager.alertmanagerSpec.secrets).toEqual(['alertmanager-chat-webhook']);
    expect(template.toJSON().Resources[logicalId(template, HELM, 'PrometheusStack')].DependsOn).toEqual(expect.arrayContaining([sync]));
  });
});

describe('Alertmanager with a topic only', () => {
  let config: Record<string, any>;
  let file: AlertmanagerConfigFile;
  beforeAll(() => {
    const { stack, vpc } = vpcStack();
    new Cluster(stack, 'Cluster', { vpc, monitoring: {}, notifications: {} });
    const template = Template.fromStack(stack);
    config = stackValues(template).alertmanager.config;
    file = new AlertmanagerConfigFile(config);
    expect(manifests(template).some((o) => o.kind === 'ExternalSecret' && o.metadata.name === 'alertmanager-chat-webhook')).toBe(false);
  });
  afterAll(() => file.remove());

  test('amtool check-config accepts it, and warnings open tickets on the topic, so that they still reach someone', () => {
    expect(file.check()).toContain('SUCCESS');
    expect(file.receiversOf({ alertname: 'KubePodCrashLooping', severity: 'warning' })).toEqual(['ticket']);
    expect(config.receivers.find((r: any) => r.name === 'ticket')).toEqual({ name: 'ticket', sns_configs: [expect.objectContaining({ topic_arn: expect.stringMatching(/^REF\(/) })] });
    expect(JSON.stringify(config)).not.toContain('slack');
  });
});

describe('Alertmanager without notifications', () => {
  test('keeps the chart\'s configuration and warns that alerts reach nobody', () => {
    const { stack, vpc } = vpcStack();
    new Cluster(stack, 'Cluster', { vpc, monitoring: {} });
    expect(stackValues(Template.fromStack(stack)).alertmanager).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('Alertmanager has no receiver: every alert reaches nobody'));
  });
});

describe('a chat webhook in a JSON secret', () => {
  test('the URL comes from its field', () => {
    const { stack, vpc } = vpcStack();
    const webhook = secretsmanager.Secret.fromSecretNameV2(stack, 'Webhook', 'alerts/chat');
    new Cluster(stack, 'Cluster', { vpc, monitoring: {}, notifications: { chatWebhook: ChatWebhook.slack(webhook, { urlField: 'webhookUrl' }) } });
    const template = Template.fromStack(stack);
    const objects = JSON.parse(text(template.toJSON().Resources[logicalId(template, MANIFEST, 'ChatWebhookSync')].Properties.Manifest));
    expect(objects.find((o: any) => o.kind === 'ExternalSecret').spec.data).toEqual([{ secretKey: 'url', remoteRef: { key: expect.stringContaining('alerts/chat'), property: 'webhookUrl' } }]);
  });
});
