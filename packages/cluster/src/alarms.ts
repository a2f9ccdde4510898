import { Duration, Fn, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { VolumeBackup } from './backup';
import { acknowledge, acknowledgeManagedPolicies } from './nag';

/** One CloudWatch alarm as this library defines it: a name, a metric, a threshold and a runbook. */
interface AlarmSpec {
  /** Construct id, alarm name suffix and runbook anchor (lowercased). */
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly missing: cloudwatch.TreatMissingData;
  /** What it means, for the alarm description. */
  readonly meaning: string;
}

/** Where an alarm goes and what it is called. */
interface AlarmTarget {
  readonly topic: sns.ITopic;
  /** Prefix of every alarm name (the cluster name). */
  readonly namePrefix: string;
  readonly runbookBaseUrl: string;
}

/** Creates the alarm with the topic as its alarm and OK action. */
function createAlarm(scope: Construct, spec: AlarmSpec, target: AlarmTarget): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, spec.id, {
    alarmName: `${target.namePrefix}-${spec.id}`,
    alarmDescription: `${spec.meaning} Runbook: ${target.runbookBaseUrl}#${spec.id.toLowerCase()}`,
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm,
    treatMissingData: spec.missing,
  });
  const action = new actions.SnsAction(target.topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

const ABOVE = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const AT_LEAST = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
const BELOW = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
const NOT_BREACHING = cloudwatch.TreatMissingData.NOT_BREACHING;

/** What the cluster's alarms watch. */
export interface ClusterAlarmsProps {
  readonly clusterName: string;
  readonly topic: sns.ITopic;
  readonly runbookBaseUrl: string;
  /** Container Insights runs (the `containerLogs` option): node alarms are possible. */
  readonly containerInsights: boolean;
  /** The volume backup, for its job alarms. */
  readonly backup?: VolumeBackup;
}

/**
 * The alarms on what CloudFormation knows about the cluster, all sent to the topic when they fire and
 * when they recover:
 * - always: the control plane's 5xx share (the free `AWS/EKS` metrics of Kubernetes 1.28 and later);
 * - with Container Insights: failed nodes, node CPU and node memory;
 * - with `backup`: failed backup jobs of the vault, and failed copy jobs with `copyTo`.
 */
export function addClusterAlarms(scope: Construct, props: ClusterAlarmsProps): cloudwatch.Alarm[] {
  const target = { topic: props.topic, namePrefix: props.clusterName, runbookBaseUrl: props.runbookBaseUrl };
  const cluster = { ClusterName: props.clusterName };
  const specs: AlarmSpec[] = [{
    id: 'ControlPlaneErrors',
    metric: new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: new cloudwatch.Metric({ namespace: 'AWS/EKS', metricName: 'apiserver_request_total_5XX', dimensionsMap: cluster, statistic: 'Sum' }),
        requests: new cloudwatch.Metric({ namespace: 'AWS/EKS', metricName: 'apiserver_request_total', dimensionsMap: cluster, statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
      label: 'API server 5xx responses (%)',
    }),
    threshold: 1,
    comparison: ABOVE,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    missing: NOT_BREACHING,
    meaning: `More than 1% of the requests to the Kubernetes API server of ${props.clusterName} failed with a 5xx for 15 minutes.`,
  }];
  if (props.containerInsights) {
    const insights = (metricName: string, statistic: string, period: Duration) =>
      new cloudwatch.Metric({ namespace: 'ContainerInsights', metricName, dimensionsMap: cluster, statistic, period });
    specs.push({
      id: 'NodesFailed',
      metric: insights('cluster_failed_node_count', 'Maximum', Duration.minutes(1)),
      threshold: 1,
      comparison: AT_LEAST,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      missing: NOT_BREACHING,
      meaning: `A node of ${props.clusterName} has reported a failing condition (NotReady, MemoryPressure, DiskPressure, PIDPressure) for 5 minutes.`,
    }, {
      id: 'NodeCpuHigh',
      metric: insights('node_cpu_utilization', 'Maximum', Duration.minutes(5)),
      threshold: 90,
      comparison: ABOVE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      missing: NOT_BREACHING,
      meaning: `A node of ${props.clusterName} has used more than 90% of its CPU for 15 minutes.`,
    }, {
      id: 'NodeMemoryHigh',
      metric: insights('node_memory_utilization', 'Maximum', Duration.minutes(5)),
      threshold: 90,
      comparison: ABOVE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      missing: NOT_BREACHING,
      meaning: `A node of ${props.clusterName} has used more than 90% of its memory for 15 minutes: the kubelet evicts pods at memory pressure.`,
    });
  }
  if (props.backup) {
    // Metrics Insights matches the vault's metrics whatever the other dimensions AWS Backup adds.
    specs.push({
      id: 'BackupJobsFailed',
      metric: new cloudwatch.MathExpression({
        expression: `SELECT SUM(NumberOfBackupJobsFailed) FROM "AWS/Backup" WHERE BackupVaultName = '${props.backup.vault.backupVaultName}'`,
        period: Duration.minutes(5),
        label: 'Failed backup jobs',
      }),
      threshold: 0,
      comparison: ABOVE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      missing: NOT_BREACHING,
      meaning: `An AWS Backup job of the volumes of ${props.clusterName} failed: that day's recovery point is missing.`,
    });
    if (props.backup.copyTo) {
      specs.push({
        id: 'BackupCopyJobsFailed',
        metric: new cloudwatch.MathExpression({
          expression: 'SELECT SUM(NumberOfCopyJobsFailed) FROM "AWS/Backup"',
          period: Duration.minutes(5),
          label: 'Failed copy jobs',
        }),
        threshold: 0,
        comparison: ABOVE,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        missing: NOT_BREACHING,
        meaning: `An AWS Backup copy job in this region failed (for ${props.clusterName}: a recovery point did not reach the disaster recovery vault).`,
      });
    }
  }
  return specs.map((spec) => createAlarm(scope, spec, target));
}

/** Options of the alarms on an Application Load Balancer that the AWS Load Balancer Controller created. */
export interface LoadBalancerAlarmsOptions {
  /**
   * Name of the load balancer, as the Ingress sets it with the `alb.ingress.kubernetes.io/load-balancer-name`
   * annotation (1-32 letters, digits and '-'). The alarms find its ARN, and its first target group's,
   * when they are deployed: deploy them after the Ingress has its address.
   */
  readonly loadBalancerName: string;

  /**
   * Share of requests, in percent (0.1 to 100), answered with a 5xx by the load balancer or the targets
   * above which `LoadBalancer5xx` fires after 5 minutes.
   * @default 5
   */
  readonly errorPercent?: number;

  /**
   * Topic the alarms notify.
   * @default - the cluster's notification topic
   */
  readonly topic?: sns.ITopic;
}

/** Properties of {@link LoadBalancerAlarms}; `topic` is required here. */
export interface LoadBalancerAlarmsProps extends LoadBalancerAlarmsOptions {
  /** Prefix of the alarm names (the cluster name). */
  readonly namePrefix: string;
  /** Page the alarm descriptions point at. */
  readonly runbookBaseUrl: string;
}

const LOAD_BALANCER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/**
 * CloudWatch alarms on an Application Load Balancer that Kubernetes (the AWS Load Balancer Controller)
 * created, so CloudFormation knows only its name: `LoadBalancer5xx` (the share of 5xx answers),
 * `LoadBalancerUnhealthyTargets` and `LoadBalancerNoHealthyTargets`. At deploy time two AWS SDK calls
 * (`DescribeLoadBalancers` by name, `DescribeTargetGroups` of that load balancer) read the ARNs that
 * the metrics' dimensions are made of.
 */
export class LoadBalancerAlarms extends Construct {
  /** The alarms. */
  public readonly alarms: cloudwatch.Alarm[];

  /** The `LoadBalancer` dimension (`app/<name>/<id>`), resolved at deploy time. */
  public readonly loadBalancerDimension: string;

  /** The `TargetGroup` dimension (`targetgroup/<name>/<id>`), resolved at deploy time. */
  public readonly targetGroupDimension: string;

  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    const topic = props.topic;
    if (!topic) throw new Error("'topic' of LoadBalancerAlarms is required: the alarms must notify someone");
    const name = props.loadBalancerName;
    if (!Token.isUnresolved(name) && !LOAD_BALANCER_NAME.test(name)) {
      throw new Error(`'loadBalancerName' must be 1-32 letters, digits and '-', not starting or ending with '-' (an ALB name), got '${name}'`);
    }
    const errorPercent = props.errorPercent ?? 5;
    if (!(errorPercent >= 0.1 && errorPercent <= 100)) {
      throw new Error(`'errorPercent' must be a percentage between 0.1 and 100, got ${errorPercent}`);
    }

    // Explicit: the SDK service name ElasticLoadBalancingV2 does not derive the IAM prefix elasticloadbalancing.
    const policy = cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
      actions: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTargetGroups'],
      resources: ['*'],
    })]);
    const loadBalancer = new cr.AwsCustomResource(this, 'LoadBalancer', {
      onUpdate: {
        service: 'ElasticLoadBalancingV2',
        action: 'describeLoadBalancers',
        parameters: { Names: [name] },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('LoadBalancers.0.LoadBalancerArn'),
        outputPaths: ['LoadBalancers.0.LoadBalancerArn'],
      },
      policy,
      installLatestAwsSdk: false,
    });
    const loadBalancerArn = loadBalancer.getResponseField('LoadBalancers.0.LoadBalancerArn');
    const targetGroup = new cr.AwsCustomResource(this, 'TargetGroup', {
      onUpdate: {
        service: 'ElasticLoadBalancingV2',
        action: 'describeTargetGroups',
        parameters: { LoadBalancerArn: loadBalancerArn },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('TargetGroups.0.TargetGroupArn'),
        outputPaths: ['TargetGroups.0.TargetGroupArn'],
      },
      policy,
      installLatestAwsSdk: false,
    });
    // arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/app/<name>/<id> -> app/<name>/<id>
    this.loadBalancerDimension = Fn.select(1, Fn.split(':loadbalancer/', loadBalancerArn));
    // arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id> -> targetgroup/<name>/<id>
    this.targetGroupDimension = Fn.select(5, Fn.split(':', targetGroup.getResponseField('TargetGroups.0.TargetGroupArn')));

    const describe = 'Describe* calls of Elastic Load Balancing support no resource-level permissions; the lookup only reads';
    for (const lookup of [loadBalancer, targetGroup]) acknowledge(lookup, describe, 'AwsSolutions-IAM5[Resource::*]');
    // The AWS SDK call provider is one Lambda function per stack, shared by every AwsCustomResource.
    const providerRole = loadBalancer.grantPrincipal as iam.IRole;
    acknowledgeManagedPolicies(providerRole, 'The AWS SDK call provider of aws-cdk-lib logs through AWSLambdaBasicExecutionRole, the policy AWS maintains for that');

    const alb = (metricName: string, statistic: string, withTargetGroup = false) => new cloudwatch.Metric({
      namespace: 'AWS/ApplicationELB',
      metricName,
      statistic,
      period: Duration.minutes(1),
      dimensionsMap: { LoadBalancer: this.loadBalancerDimension, ...(withTargetGroup ? { TargetGroup: this.targetGroupDimension } : {}) },
    });
    const target = { topic, namePrefix: props.namePrefix, runbookBaseUrl: props.runbookBaseUrl };
    const specs: AlarmSpec[] = [{
      id: 'LoadBalancer5xx',
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, 100 * (FILL(elb, 0) + FILL(targets, 0)) / requests, 0)',
        usingMetrics: {
          elb: alb('HTTPCode_ELB_5XX_Count', 'Sum'),
          targets: alb('HTTPCode_Target_5XX_Count', 'Sum'),
          requests: alb('RequestCount', 'Sum'),
        },
        period: Duration.minutes(1),
        label: '5xx answers (%)',
      }),
      threshold: errorPercent,
      comparison: ABOVE,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      missing: NOT_BREACHING,
      meaning: `More than ${errorPercent}% of the requests to the load balancer ${name} were answered with a 5xx for 5 minutes: visitors get errors.`,
    }, {
      id: 'LoadBalancerUnhealthyTargets',
      metric: alb('UnHealthyHostCount', 'Maximum', true),
      threshold: 0,
      comparison: ABOVE,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      missing: NOT_BREACHING,
      meaning: `A target of the load balancer ${name} has failed its health checks for 5 minutes.`,
    }, {
      id: 'LoadBalancerNoHealthyTargets',
      metric: alb('HealthyHostCount', 'Minimum', true),
      threshold: 1,
      comparison: BELOW,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      // No data: the load balancer or its target group is gone (or was replaced under the same name).
      missing: cloudwatch.TreatMissingData.BREACHING,
      meaning: `The load balancer ${name} has had no healthy target (or reported nothing) for 2 minutes: the site is down.`,
    }];
    this.alarms = specs.map((spec) => createAlarm(this, spec, target));
  }
}
