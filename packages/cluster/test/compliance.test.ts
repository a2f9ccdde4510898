import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { expectCfnLintClean, nagApp, nagErrors, NagFinding } from '../../../tools/testing/cloudformation';
import { AutoModeNodePool, Capacity, ChatWebhook, Cluster, ClusterProps, NamespaceAccess } from '../src';
import { addContent, clusterStack, vpcStack } from './fixtures';

const OPERATIONS: Partial<ClusterProps> = {
  containerLogs: {},
  monitoring: {},
  backup: { retention: Duration.days(14) },
  budget: { monthlyLimitUsd: 1000, emails: ['ops@example.com'], thresholds: [50, 80, 100] },
  costTags: { project: 's3www', environment: 'prod', costCenter: 'cc-1234' },
};

// Every scenario the README describes, each synthesized once: cdk-nag checks it, cfn-lint lints its template
// (once over all of them).
const scenarios: Record<string, (app: App) => ReturnType<typeof clusterStack>> = {
  'node-groups': (app) => clusterStack({}, app),
  'node-groups-with-content': (app) => {
    const s = clusterStack({}, app);
    addContent(s.stack, s.cluster);
    return s;
  },
  'auto-mode-with-content': (app) => {
    const s = clusterStack({ capacity: Capacity.autoMode() }, app);
    addContent(s.stack, s.cluster);
    return s;
  },
  'auto-mode-allow-listed-endpoint': (app) => clusterStack({
    capacity: Capacity.autoMode({ nodePools: [AutoModeNodePool.GENERAL_PURPOSE] }),
    endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24'),
  }, app),
  'private-endpoint': (app) => clusterStack({ endpointAccess: eks.EndpointAccess.PRIVATE }, app),
  // A private API with a way in and namespaced viewers and editors beside an admin.
  'private-endpoint-with-namespaced-access': (app) => {
    const s = clusterStack({ endpointAccess: eks.EndpointAccess.PRIVATE }, app);
    const role = (id: string) => iam.Role.fromRoleArn(s.stack, id, `arn:aws:iam::123456789012:role/${id.toLowerCase()}`);
    s.cluster.addAdmin('Ops', role('Ops'));
    s.cluster.grantNamespaceAccess('Support', role('Support'), { namespaces: ['web', 'batch'], access: NamespaceAccess.VIEW });
    s.cluster.grantNamespaceAccess('Developers', role('Developers'), { namespaces: ['web'], access: NamespaceAccess.EDIT });
    const bastion = new ec2.SecurityGroup(s.stack, 'Bastion', { vpc: s.cluster.vpc, allowAllOutbound: false });
    s.cluster.connections.allowFrom(bastion, ec2.Port.tcp(443));
    return s;
  },
  // GitOps: no kubectl Lambda, the native operations options only.
  'lean': (app) => clusterStack({
    kubectlEnabled: false,
    containerLogs: {},
    notifications: { emails: ['oncall@example.com'] },
    budget: { monthlyLimitUsd: 100 },
  }, app),
  // Every operations option on, as the reference app's prod environment runs them.
  'node-groups-operations-with-content': (app) => {
    const s = clusterStack(OPERATIONS, app);
    addContent(s.stack, s.cluster);
    return s;
  },
  'auto-mode-operations': (app) => clusterStack({ ...OPERATIONS, capacity: Capacity.autoMode() }, app),
  // Alerts that reach someone: topic, e-mails, chat webhook, every alarm, a copy to another region.
  'notifications-alarms-and-disaster-recovery': (app) => {
    const { stack, vpc } = vpcStack(app);
    const webhook = secretsmanager.Secret.fromSecretNameV2(stack, 'Webhook', 'alerts/chat');
    const copyTo = backup.BackupVault.fromBackupVaultArn(stack, 'Dr', 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr');
    const cluster = new Cluster(stack, 'Cluster', {
      vpc,
      ...OPERATIONS,
      backup: { retention: Duration.days(35), copyTo, copyRetention: Duration.days(14) },
      budget: { monthlyLimitUsd: 1000 },
      notifications: { emails: ['oncall@example.com'], chatWebhook: ChatWebhook.slack(webhook) },
    });
    addContent(stack, cluster);
    cluster.getIngressLoadBalancerAddress('site', { namespace: 'web' });
    cluster.addLoadBalancerAlarms('Site', { loadBalancerName: 'site' });
    return { stack, cluster };
  },
  'dev-scaled-to-zero': (app) => clusterStack({
    capacity: Capacity.nodeGroups({ name: 'default', minSize: 0, desiredSize: 0, maxSize: 2 }),
    budget: { monthlyLimitUsd: 150, emails: ['dev@example.com'] },
  }, app),
};

describe('compliance', () => {
  const synthesized: Record<string, { nag: NagFinding[]; template: unknown }> = {};
  beforeAll(() => {
    // GIVEN / WHEN: each scenario synthesized with cdk-nag's AwsSolutions pack, which writes the templates first
    for (const [name, make] of Object.entries(scenarios)) {
      const app = nagApp();
      const { stack } = make(app);
      const nag = nagErrors(app);
      synthesized[name] = { nag, template: JSON.parse(readFileSync(join(app.outdir, stack.templateFile), 'utf8')) };
    }
  });

  test('cfn-lint reports no error on any scenario', () => {
    expectCfnLintClean(Object.fromEntries(Object.entries(synthesized).map(([name, s]) => [name, s.template])));
  });

  test.each(Object.keys(scenarios))('cdk-nag AwsSolutions has no unacknowledged error: %s', (name) => {
    expect(synthesized[name].nag).toEqual([]);
  });
});
