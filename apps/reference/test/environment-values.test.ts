/**
 * Every value of an environment's configuration reaches the template or manifest where it acts.
 * The expected values are read from `ENVIRONMENTS`, never restated here, so a setting that stops
 * reaching the output (a prop the stack no longer passes, a default that wins instead) fails,
 * whatever the value is.
 */
import { Duration } from 'aws-cdk-lib';
import { ApiEndpoint, EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { SynthesizedEnvironment } from '../src/synthesis';
import { synthesizedOnce } from './support/synthesized';

type Json = Record<string, any>;

const resourcesOf = (out: SynthesizedEnvironment, type: string): Json[] =>
  Object.values(out.templates).flatMap((t) => Object.values<Json>(t.Resources ?? {})).filter((r) => r.Type === type);

function oneResource(out: SynthesizedEnvironment, type: string, match: (r: Json) => boolean = () => true): Json {
  const found = resourcesOf(out, type).filter(match);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

function oneObject(out: SynthesizedEnvironment, kind: string, match: (o: Json) => boolean = () => true): Json {
  const found = out.objects.filter((o) => o.kind === kind && match(o));
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

const logGroupNamed = (out: SynthesizedEnvironment, name: string) =>
  oneResource(out, 'AWS::Logs::LogGroup', (r) => r.Properties.LogGroupName === name);
/** A CloudFormation value as text, references (the notification topic's ARN) shown as ${TOKEN}. */
const text = (value: any): string => (typeof value === 'string' ? value
  : value['Fn::Join'] ? (value['Fn::Join'][1] as any[]).map(text).join(value['Fn::Join'][0]) : '${TOKEN}');
const helmValues = (out: SynthesizedEnvironment, release: string): Json =>
  JSON.parse(text(oneResource(out, 'Custom::AWSCDK-EKS-HelmChart', (r) => r.Properties.Release === release).Properties.Values));
const days = (d: Duration) => d.toDays();
const mainContainer = (workload: Json) => workload.spec.template.spec.containers[0];

describe.each(Object.values(EnvironmentName))('environment %s: every configured value reaches the output', (name) => {
  const config = ENVIRONMENTS[name];
  const synthesized = synthesizedOnce(name);
  let out: SynthesizedEnvironment;
  beforeAll(() => {
    out = synthesized();
  });

  test('network: CIDR, zones, NAT gateways, flow-log retention', () => {
    expect(oneResource(out, 'AWS::EC2::VPC').Properties.CidrBlock).toBe(config.network.cidr);
    const zones = new Set(resourcesOf(out, 'AWS::EC2::Subnet').map((s) => JSON.stringify(s.Properties.AvailabilityZone)));
    expect(zones.size).toBe(config.network.maxAzs);
    expect(resourcesOf(out, 'AWS::EC2::NatGateway')).toHaveLength(config.network.natGateways);
    const flowLog = oneResource(out, 'AWS::EC2::FlowLog');
    const template = out.templates[`${out.stackName}.template.json`];
    const group = template.Resources[flowLog.Properties.LogGroupName.Ref];
    expect(group.Properties.RetentionInDays).toBe(config.network.flowLogs.retention);
  });

  test('cluster: name, control-plane log retention, nodes', () => {
    expect(oneResource(out, 'AWS::EKS::Cluster').Properties.Name).toBe(config.clusterName);
    expect(logGroupNamed(out, `/aws/eks/${config.clusterName}/cluster`).Properties.RetentionInDays).toBe(config.cluster.logRetention);
    const nodegroup = oneResource(out, 'AWS::EKS::Nodegroup').Properties;
    const { nodes } = config.cluster;
    expect(nodegroup.InstanceTypes).toEqual(nodes.instanceTypes!.map(String));
    expect(nodegroup.ScalingConfig).toEqual({ MinSize: nodes.minSize, DesiredSize: nodes.desiredSize, MaxSize: nodes.maxSize });
    expect(nodegroup.DiskSize).toBe(nodes.diskSize);
  });

  test('cost tags on what the cluster library creates', () => {
    const tags = logGroupNamed(out, `/aws/eks/${config.clusterName}/cluster`).Properties.Tags;
    expect(tags).toEqual(expect.arrayContaining([
      { Key: 'environment', Value: config.name },
      { Key: 'cost-center', Value: config.costCenter },
    ]));
  });

  test('operations: Prometheus, container-log and backup retentions, or none of them', () => {
    const ops = config.operations;
    const monitoring = resourcesOf(out, 'Custom::AWSCDK-EKS-HelmChart').filter((r) => r.Properties.Release === 'kube-prometheus-stack');
    const containerLogs = resourcesOf(out, 'AWS::Logs::LogGroup').filter((r) => String(r.Properties.LogGroupName).startsWith('/aws/containerinsights/'));
    const plans = resourcesOf(out, 'AWS::Backup::BackupPlan');
    if (ops?.prometheusRetention) {
      expect(helmValues(out, 'kube-prometheus-stack').prometheus.prometheusSpec.retention).toBe(`${days(ops.prometheusRetention)}d`);
    } else {
      expect(monitoring).toEqual([]);
    }
    if (ops?.containerLogRetention) {
      expect(containerLogs.length).toBeGreaterThan(0);
      expect(containerLogs.map((g) => g.Properties.RetentionInDays)).toEqual(containerLogs.map(() => ops.containerLogRetention));
    } else {
      expect(containerLogs).toEqual([]);
    }
    if (ops?.backupRetention) {
      expect(plans).toHaveLength(1);
      expect(plans[0].Properties.BackupPlan.BackupPlanRule.map((r: Json) => r.Lifecycle.DeleteAfterDays)).toEqual([days(ops.backupRetention)]);
      const copies = plans[0].Properties.BackupPlan.BackupPlanRule[0].CopyActions ?? [];
      expect(copies.map((c: Json) => c.Lifecycle.DeleteAfterDays)).toEqual(ops.backupCopyRetention ? [days(ops.backupCopyRetention)] : []);
    } else {
      expect(plans).toEqual([]);
    }
  });

  test('budget: the monthly amount', () => {
    expect(oneResource(out, 'AWS::Budgets::Budget').Properties.Budget.BudgetLimit).toEqual({ Amount: config.cluster.budget.monthlyLimitUsd, Unit: 'USD' });
  });

  test('workload: namespace and bucket', () => {
    expect(oneObject(out, 'Namespace').metadata.name).toBe(config.namespace);
    expect(out.objects.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === config.namespace)).toBe(true);
    const seeder = mainContainer(oneObject(out, 'Job', (o) => o.metadata.labels['app.kubernetes.io/component'] === 'seeder'));
    expect(seeder.env.find((e: Json) => e.name === 'S3_BUCKET').value).toBe(config.bucket);
    const buckets = mainContainer(oneObject(out, 'Job', (o) => o.metadata.labels['app.kubernetes.io/component'] === 'bucket-job'));
    expect(buckets.command[2]).toContain(`mc mb --ignore-existing 'minio/${config.bucket}'`);
  });

  test('MinIO: topology, drives, drive size, disruption budget, resources', () => {
    const statefulSet = oneObject(out, 'StatefulSet');
    const { topology } = config.minio;
    expect(statefulSet.spec.replicas).toBe(topology.replicas);
    expect(statefulSet.spec.volumeClaimTemplates).toHaveLength(topology.drivesPerReplica);
    for (const claim of statefulSet.spec.volumeClaimTemplates) {
      expect(claim.spec.resources.requests.storage).toBe(`${config.minio.storage.size!.toGibibytes()}Gi`);
    }
    const budgets = out.objects.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'minio');
    expect(budgets.map((b) => b.spec.maxUnavailable)).toEqual(topology.isDistributed ? [topology.maxUnavailable] : []);
    expect(mainContainer(statefulSet).resources).toEqual({
      requests: { cpu: `${config.minio.resources.cpu!.request!.amount}`, memory: `${config.minio.resources.memory!.request!.toMebibytes()}Mi` },
      limits: { cpu: `${config.minio.resources.cpu!.limit!.amount}`, memory: `${config.minio.resources.memory!.limit!.toMebibytes()}Mi` },
    });
  });

  test('s3www: replicas or autoscaler, disruption budget, resources', () => {
    const deployment = oneObject(out, 'Deployment', (o) => o.metadata.name === 's3www');
    const hpas = out.objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
    const { autoscaling } = config.s3www;
    if (autoscaling) {
      expect(hpas).toHaveLength(1);
      expect(hpas[0].spec).toMatchObject({ minReplicas: autoscaling.minReplicas, maxReplicas: autoscaling.maxReplicas });
      expect(hpas[0].spec.metrics[0].resource.target.averageUtilization).toBe(autoscaling.cpuUtilization);
      expect(deployment.spec.replicas).toBeUndefined();
    } else {
      expect(hpas).toEqual([]);
      expect(deployment.spec.replicas).toBe(config.s3www.replicas);
    }
    // a budget exactly where the environment sets maxUnavailable (the library refuses one for a single pod)
    const budgets = out.objects.filter((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === 's3www');
    expect(budgets.map((b) => b.spec.maxUnavailable)).toEqual(config.s3www.maxUnavailable === undefined ? [] : [config.s3www.maxUnavailable]);
    const web = config.s3www.resources!;
    expect(mainContainer(deployment).resources).toEqual({
      requests: { cpu: `${web.cpu!.request!.amount}`, memory: `${web.memory!.request!.toMebibytes()}Mi` },
      limits: { cpu: `${web.cpu!.limit!.amount}`, memory: `${web.memory!.limit!.toMebibytes()}Mi` },
    });
  });

  test('seed: every configured file, in order', () => {
    const seeder = mainContainer(oneObject(out, 'Job', (o) => o.metadata.labels['app.kubernetes.io/component'] === 'seeder'));
    const sources = JSON.parse(seeder.env.find((e: Json) => e.name === 'SEED_SOURCES').value);
    expect(sources.map((s: Json) => s.url)).toEqual(config.seeder.sources.map((s) => s.url));
  });

  test('API endpoint: private with the bastion, or public without it', () => {
    const privateApi = config.apiEndpoint === ApiEndpoint.PRIVATE;
    expect(oneResource(out, 'AWS::EKS::Cluster').Properties.ResourcesVpcConfig.EndpointPublicAccess).toBe(!privateApi);
    expect(resourcesOf(out, 'AWS::EC2::Instance')).toHaveLength(privateApi ? 1 : 0);
  });

  test('audit trail: the bucket\'s and the log group\'s retentions, or no trail', () => {
    const trails = resourcesOf(out, 'AWS::CloudTrail::Trail');
    if (!config.auditTrail) {
      expect(trails).toEqual([]);
      return;
    }
    expect(trails).toHaveLength(1);
    const bucket = oneResource(out, 'AWS::S3::Bucket', (r) => r.Properties.LifecycleConfiguration?.Rules?.[0]?.Id === 'expire-audit-logs');
    expect(bucket.Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBe(days(config.auditTrail.retention));
    expect(logGroupNamed(out, `/aws/cloudtrail/${out.stackName}-audit`).Properties.RetentionInDays).toBe(config.auditTrail.logRetention);
  });
});
