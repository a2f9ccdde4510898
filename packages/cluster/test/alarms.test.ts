import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Cluster, LoadBalancerAlarms } from '../src';
import { clusterStack, providerFootprint, vpcStack } from './fixtures';

const ALARM = 'AWS::CloudWatch::Alarm';
const RUNBOOK = 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';

type Json = Record<string, any>;

/** The alarms of a template by name, the cluster name prefix removed. */
function alarmsByName(template: Template, clusterName: string): Record<string, Json> {
  return Object.fromEntries(Object.values(template.findResources(ALARM))
    .map((a) => [String(a.Properties.AlarmName).replace(`${clusterName}-`, ''), a.Properties]));
}

/** The one metric of a plain-metric alarm, or the metrics and expression of a math alarm. */
function metricsOf(alarm: Json): Json {
  if (alarm.MetricName) {
    return { namespace: alarm.Namespace, metric: alarm.MetricName, statistic: alarm.Statistic, period: alarm.Period, dimensions: alarm.Dimensions };
  }
  return Object.fromEntries(alarm.Metrics.map((m: Json) => [m.Id, m.Expression ?? {
    namespace: m.MetricStat.Metric.Namespace,
    metric: m.MetricStat.Metric.MetricName,
    statistic: m.MetricStat.Stat,
    period: m.MetricStat.Period,
    dimensions: m.MetricStat.Metric.Dimensions,
  }]));
}

describe('cluster alarms with notifications, container logs and a backup copied to another region', () => {
  let template: Template;
  let alarms: Record<string, Json>;
  let topic: string;
  let cluster: Cluster;
  beforeAll(() => {
    const { stack, vpc } = vpcStack();
    const copyTo = backup.BackupVault.fromBackupVaultArn(stack, 'Dr', 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr');
    // Lean: the alarms are native CloudFormation and need no kubectl Lambda.
    cluster = new Cluster(stack, 'Cluster', { vpc, clusterName: 'web-prod', notifications: {}, containerLogs: {}, backup: { copyTo }, kubectlEnabled: false });
    template = Template.fromStack(stack);
    alarms = alarmsByName(template, 'web-prod');
    [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
  });

  test('six alarms, each named after the cluster, sending ALARM and OK to the topic, with a runbook link', () => {
    expect(Object.keys(alarms).sort()).toEqual(['BackupCopyJobsFailed', 'BackupJobsFailed', 'ControlPlaneErrors', 'NodeCpuHigh', 'NodeMemoryHigh', 'NodesFailed']);
    expect(cluster.alarms).toHaveLength(6);
    for (const [name, alarm] of Object.entries(alarms)) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.OKActions).toEqual([{ Ref: topic }]);
      expect(alarm.AlarmDescription).toMatch(new RegExp(` Runbook: ${RUNBOOK}#${name.toLowerCase()}$`));
    }
  });

  test('ControlPlaneErrors: more than 1% of API server requests answered 5xx for 15 minutes (AWS/EKS)', () => {
    const cluster_ = [{ Name: 'ClusterName', Value: 'web-prod' }];
    expect(metricsOf(alarms.ControlPlaneErrors)).toEqual({
      expr_1: 'IF(requests > 0, 100 * errors / requests, 0)',
      errors: { namespace: 'AWS/EKS', metric: 'apiserver_request_total_5XX', statistic: 'Sum', period: 300, dimensions: cluster_ },
      requests: { namespace: 'AWS/EKS', metric: 'apiserver_request_total', statistic: 'Sum', period: 300, dimensions: cluster_ },
    });
    expect(alarms.ControlPlaneErrors).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: 'notBreaching' });
  });

  test.each([
    ['NodesFailed', 'cluster_failed_node_count', 'Maximum', 60, 1, 'GreaterThanOrEqualToThreshold', 5],
    ['NodeCpuHigh', 'node_cpu_utilization', 'Maximum', 300, 90, 'GreaterThanThreshold', 3],
    ['NodeMemoryHigh', 'node_memory_utilization', 'Maximum', 300, 90, 'GreaterThanThreshold', 3],
  ])('%s: Container Insights %s', (name, metric, statistic, period, threshold, comparison, periods) => {
    expect(metricsOf(alarms[name])).toEqual({ namespace: 'ContainerInsights', metric, statistic, period, dimensions: [{ Name: 'ClusterName', Value: 'web-prod' }] });
    expect(alarms[name]).toMatchObject({ Threshold: threshold, ComparisonOperator: comparison, EvaluationPeriods: periods, DatapointsToAlarm: periods, TreatMissingData: 'notBreaching' });
  });

  test('BackupJobsFailed: any failed job of the vault (Metrics Insights); BackupCopyJobsFailed: any failed copy job of the region', () => {
    const vault = Object.keys(template.findResources('AWS::Backup::BackupVault'))[0];
    expect(alarms.BackupJobsFailed.Metrics).toEqual([{
      Id: 'expr_1',
      Label: 'Failed backup jobs',
      Period: 300,
      ReturnData: true,
      Expression: { 'Fn::Join': ['', ['SELECT SUM(NumberOfBackupJobsFailed) FROM "AWS/Backup" WHERE BackupVaultName = \'', { 'Fn::GetAtt': [vault, 'BackupVaultName'] }, '\'']] },
    }]);
    expect(alarms.BackupCopyJobsFailed.Metrics).toEqual([{
      Id: 'expr_1', Label: 'Failed copy jobs', Period: 300, ReturnData: true, Expression: 'SELECT SUM(NumberOfCopyJobsFailed) FROM "AWS/Backup"',
    }]);
    for (const name of ['BackupJobsFailed', 'BackupCopyJobsFailed']) {
      expect(alarms[name]).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    }
  });

  test('need no Lambda function and no custom resource: they work on a lean cluster', () => {
    expect(providerFootprint(template)).toEqual({ lambdas: 0, customResources: 0 });
  });
});

describe('which alarms exist', () => {
  test('without container logs and backup: the control plane alarm only', () => {
    const { stack, cluster } = clusterStack({ clusterName: 'web-dev', notifications: {} });
    expect(Object.keys(alarmsByName(Template.fromStack(stack), 'web-dev'))).toEqual(['ControlPlaneErrors']);
    expect(cluster.alarms).toHaveLength(1);
  });

  test('a backup without a copy has no copy job alarm', () => {
    const { stack } = clusterStack({ clusterName: 'web-staging', notifications: {}, backup: { retention: Duration.days(7) } });
    expect(Object.keys(alarmsByName(Template.fromStack(stack), 'web-staging')).sort()).toEqual(['BackupJobsFailed', 'ControlPlaneErrors']);
  });

  test('without notifications there is no alarm', () => {
    const { stack } = clusterStack({ containerLogs: {}, backup: {} });
    Template.fromStack(stack).resourceCountIs(ALARM, 0);
  });

  test('a runbook page of your own', () => {
    const { stack } = clusterStack({ clusterName: 'web', notifications: { runbookBaseUrl: 'https://wiki.example.com/eks' } });
    expect(alarmsByName(Template.fromStack(stack), 'web').ControlPlaneErrors.AlarmDescription).toMatch(/ Runbook: https:\/\/wiki\.example\.com\/eks#controlplaneerrors$/);
  });
});

describe('load balancer alarms', () => {
  let template: Template;
  let alarms: Record<string, Json>;
  beforeAll(() => {
    const { stack, cluster } = clusterStack({ clusterName: 'web-prod', notifications: {} });
    cluster.addLoadBalancerAlarms('Site', { loadBalancerName: 'web-prod-site' });
    // Looked up after the alarms were added: they wait for it all the same.
    cluster.getIngressLoadBalancerAddress('site', { namespace: 'web' });
    template = Template.fromStack(stack);
    alarms = alarmsByName(template, 'web-prod');
  });

  test('read the ARNs of the named load balancer and of its target group at deploy time', () => {
    const lookups = Object.values(template.findResources('Custom::AWS')).map((r) => JSON.parse(text(r.Properties.Update)));
    expect(lookups.map((l) => [l.service, l.action, l.parameters])).toEqual([
      ['ElasticLoadBalancingV2', 'describeLoadBalancers', { Names: ['web-prod-site'] }],
      ['ElasticLoadBalancingV2', 'describeTargetGroups', { LoadBalancerArn: expect.stringMatching(/^REF\(ClusterLoadBalancerAlarmsSiteLoadBalancer[0-9A-F]{8}\.LoadBalancers\.0\.LoadBalancerArn\)$/) }],
    ]);
  });

  test('read them once the Ingress has its address, so the load balancer exists', () => {
    const resources = template.toJSON().Resources;
    const [lookup] = Object.keys(template.findResources('Custom::AWSCDK-EKS-KubernetesObjectValue'));
    const [describeLoadBalancers] = Object.keys(template.findResources('Custom::AWS')).filter((id) => id.includes('SiteLoadBalancer'));
    expect(resources[describeLoadBalancers].DependsOn).toContain(lookup);
  });

  test('LoadBalancer5xx: more than 5% of the requests answered 5xx by the load balancer or the targets for 5 minutes', () => {
    const metrics = metricsOf(alarms.LoadBalancer5xx);
    expect(metrics.expr_1).toBe('IF(requests > 0, 100 * (FILL(elb, 0) + FILL(targets, 0)) / requests, 0)');
    expect([metrics.elb.metric, metrics.targets.metric, metrics.requests.metric]).toEqual(['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount']);
    expect(metrics.elb.dimensions).toEqual([{ Name: 'LoadBalancer', Value: { 'Fn::Select': [1, { 'Fn::Split': [':loadbalancer/', expect.anything()] }] } }]);
    expect(alarms.LoadBalancer5xx).toMatchObject({ Threshold: 5, EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: 'notBreaching' });
  });

  test('unhealthy targets for 5 minutes; no healthy target (or no data at all) for 2 minutes', () => {
    const dimensions = (alarm: Json) => alarm.Dimensions.map((d: Json) => d.Name);
    const unhealthy = alarms.LoadBalancerUnhealthyTargets;
    expect([unhealthy.MetricName, unhealthy.Statistic, dimensions(unhealthy)]).toEqual(['UnHealthyHostCount', 'Maximum', ['LoadBalancer', 'TargetGroup']]);
    expect(alarms.LoadBalancerUnhealthyTargets).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 5, TreatMissingData: 'notBreaching' });
    expect([alarms.LoadBalancerNoHealthyTargets.MetricName, alarms.LoadBalancerNoHealthyTargets.Statistic]).toEqual(['HealthyHostCount', 'Minimum']);
    expect(alarms.LoadBalancerNoHealthyTargets).toMatchObject({ Threshold: 1, ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 2, TreatMissingData: 'breaching' });
    const targetGroup = alarms.LoadBalancerUnhealthyTargets.Dimensions.find((d: Json) => d.Name === 'TargetGroup').Value;
    expect(targetGroup).toEqual({ 'Fn::Select': [5, { 'Fn::Split': [':', expect.anything()] }] });
  });

  test('the lookups may only describe load balancers', () => {
    const statements = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([id]) => id.startsWith('ClusterLoadBalancerAlarmsSite'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    // Both lookups share the provider's role; each adds the same one statement.
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      [['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups'], '*'],
      [['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups'], '*'],
    ]);
  });

  test('a topic of your own, an error threshold of your own', () => {
    const { stack, cluster } = clusterStack({ clusterName: 'web' });
    const topic = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');
    const created = cluster.addLoadBalancerAlarms('Site', { loadBalancerName: 'web-site', topic, errorPercent: 1 });
    const own = alarmsByName(Template.fromStack(stack), 'web');
    expect(own.LoadBalancer5xx).toMatchObject({ Threshold: 1, AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'] });
    expect(created.alarms).toHaveLength(3);
  });
});

describe('validation', () => {
  test('load balancer alarms need a topic', () => {
    const { cluster } = clusterStack();
    expect(() => cluster.addLoadBalancerAlarms('Site', { loadBalancerName: 'site' }))
      .toThrow("'addLoadBalancerAlarms' needs a topic to send the alarms to: set the cluster's 'notifications', or the option 'topic'");
  });

  test('the construct on its own needs its topic', () => {
    const { stack } = vpcStack();
    expect(() => new LoadBalancerAlarms(stack, 'Site', { loadBalancerName: 'site', namePrefix: 'web', runbookBaseUrl: RUNBOOK }))
      .toThrow("'topic' of LoadBalancerAlarms is required: the alarms must notify someone");
  });

  test.each([
    [{ loadBalancerName: 'k8s-s3www-s3www-0123456789-abcdef' }, "'loadBalancerName' must be 1-32 letters, digits and '-', not starting or ending with '-' (an ALB name), got 'k8s-s3www-s3www-0123456789-abcdef'"],
    [{ loadBalancerName: '-site' }, "'loadBalancerName' must be 1-32 letters, digits and '-', not starting or ending with '-' (an ALB name), got '-site'"],
    [{ loadBalancerName: 'site', errorPercent: 0 }, "'errorPercent' must be a percentage between 0.1 and 100, got 0"],
  ])('rejects %j', (options, message) => {
    const { cluster } = clusterStack({ notifications: {} });
    expect(() => cluster.addLoadBalancerAlarms('Site', options)).toThrow(message);
  });
});

/** A CloudFormation value as text, each reference shown as REF(<logical id>[.<attribute>]). */
function text(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return (value['Fn::Join'][1] as any[]).map(text).join(value['Fn::Join'][0]);
  if (value.Ref) return `REF(${value.Ref})`;
  if (value['Fn::GetAtt']) return `REF(${value['Fn::GetAtt'].join('.')})`;
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}
