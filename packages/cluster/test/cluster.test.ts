import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Capacity, Cluster, ComponentsInstall } from '../src';
import { addContent, clusterStack, helmReleases, manifests, providerFootprint, vpcStack } from './fixtures';

const CLUSTER = 'AWS::EKS::Cluster';

describe('defaults', () => {
  let template: Template;
  let clusterName: string;
  beforeAll(() => {
    const { stack, cluster } = clusterStack();
    clusterName = cluster.clusterName;
    template = Template.fromStack(stack);
  });

  test('runs the newest supported Kubernetes version with a stable derived name', () => {
    template.hasResourceProperties(CLUSTER, { Version: '1.36', Name: clusterName });
    expect(clusterName).toBe('Test-Cluster-553ACD77');
  });

  test('places the control plane in the private subnets only', () => {
    const subnets = template.findResources(CLUSTER);
    const ids = Object.values(subnets)[0].Properties.ResourcesVpcConfig.SubnetIds.map((s: any) => s.Ref);
    expect(ids).toHaveLength(3);
    expect(ids.every((id: string) => id.startsWith('VpcPrivateSubnet'))).toBe(true);
  });

  test('serves the endpoint publicly and privately with no CIDR list', () => {
    template.hasResourceProperties(CLUSTER, {
      ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: Match.absent() },
    });
  });

  test('logs all five control plane log types to a log group with three months retention, created first', () => {
    template.hasResourceProperties(CLUSTER, {
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({ Type })) } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/eks/${clusterName}/cluster`, RetentionInDays: 90 });
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    template.hasResource(CLUSTER, { DependsOn: Match.arrayWith([logGroupId]) });
  });

  test('encrypts Secrets with a new rotating KMS key the cluster role may use', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key', { Properties: { EnableKeyRotation: true } }));
    template.hasResourceProperties(CLUSTER, {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } }, Resources: ['secrets'] }],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant'],
          Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        })]),
      },
    });
  });

  test('authenticates through access entries only and gives nobody implicit admin access', () => {
    template.hasResourceProperties(CLUSTER, {
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      BootstrapSelfManagedAddons: false,
    });
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  test('has no kubectl provider, no Lambda function and no custom resource', () => {
    expect(providerFootprint(template)).toEqual({ lambdas: 0, customResources: 0 });
  });

  test('turns no operations option on: no add-on beyond the six, no backup, budget, secret or monitoring', () => {
    template.resourceCountIs('AWS::EKS::Addon', 6);
    for (const type of ['AWS::Backup::BackupVault', 'AWS::Backup::BackupPlan', 'AWS::Budgets::Budget', 'AWS::SecretsManager::Secret']) {
      template.resourceCountIs(type, 0);
    }
    template.resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('creates one managed node group', () => {
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
  });
});

describe('with content', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, cluster } = clusterStack();
    addContent(stack, cluster);
    template = Template.fromStack(stack);
  });

  test('creates the kubectl provider once: two Lambda functions and six custom resources', () => {
    expect(providerFootprint(template)).toEqual({ lambdas: 2, customResources: 6 });
  });

  test('gives the kubectl handler cluster-admin through an access entry and nothing else', () => {
    template.resourceCountIs('AWS::EKS::AccessEntry', 1);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('KubectlProviderHandlerServiceRole'), 'Arn'] },
      AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'cluster' } })],
    });
  });

  test('installs the load balancer controller, the autoscaler and the gp3 StorageClass with the first content', () => {
    expect(Object.keys(helmReleases(template)).sort()).toEqual(['aws-load-balancer-controller', 'cluster-autoscaler', 'external-secrets']);
    expect(manifests(template).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(expect.arrayContaining(['StorageClass/gp3', 'Namespace/web', 'ConfigMap/web']));
  });

  test('never applies an aws-auth ConfigMap', () => {
    expect(manifests(template).filter((m) => m.metadata.name === 'aws-auth')).toEqual([]);
  });

  test('applies content after kubectl access, nodes, add-ons and the load balancer controller', () => {
    const [chartId] = Object.keys(template.findResources('Custom::AWSCDK-EKS-KubernetesResource', { Properties: { Manifest: Match.stringLikeRegexp('ConfigMap') } }));
    const dependsOn = template.toJSON().Resources[chartId].DependsOn as string[];
    for (const prefix of ['ClusterKubectlProviderAccess', 'ClusterNodegroupdefault', 'ClusterCoreDns', 'ClusterAlbControllerChart', 'ClusterClusterAutoscalerChart', 'ClusterPlatform']) {
      expect(dependsOn.some((d) => d.startsWith(prefix))).toBe(true);
    }
  });
});

describe('options', () => {
  test('a private endpoint disables public access', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ endpointAccess: eks.EndpointAccess.PRIVATE });

    // THEN
    Template.fromStack(stack).hasResourceProperties(CLUSTER, { ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true } });
  });

  test('allow-listed CIDRs restrict the public endpoint', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24') });

    // THEN
    Template.fromStack(stack).hasResourceProperties(CLUSTER, {
      ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] },
    });
  });

  test('a given key encrypts Secrets and no key is created', () => {
    // GIVEN
    const app = new App();
    const { stack, vpc } = vpcStack(app);
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });

    // WHEN
    const cluster = new Cluster(stack, 'Cluster', { vpc, secretsEncryptionKey: key });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(cluster.secretsEncryptionKey).toBe(key);
  });

  test('logTypes and logRetention choose what is logged and for how long', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ logTypes: [eks.ClusterLoggingTypes.AUDIT], logRetention: logs.RetentionDays.ONE_YEAR });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties(CLUSTER, { Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'audit' }] } } });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('an empty logTypes list turns logging off', () => {
    // GIVEN / WHEN
    const { stack, cluster } = clusterStack({ logTypes: [] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties(CLUSTER, { Logging: Match.absent() });
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    expect(cluster.logGroup).toBeUndefined();
  });

  test('each admin role gets cluster-admin through an access entry', () => {
    // GIVEN
    const app = new App();
    const { stack, vpc } = vpcStack(app);
    const ops = iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::123456789012:role/ops');
    const ci = iam.Role.fromRoleArn(stack, 'Ci', 'arn:aws:iam::123456789012:role/ci');

    // WHEN
    new Cluster(stack, 'Cluster', { vpc, admins: [ops, ci] });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::AccessEntry', 2);
    for (const arn of ['arn:aws:iam::123456789012:role/ops', 'arn:aws:iam::123456789012:role/ci']) {
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        PrincipalArn: arn,
        AccessPolicies: [{
          AccessScope: { Type: 'cluster' },
          PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] },
        }],
      });
    }
  });

  test('clusterName names the cluster and its log group', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ clusterName: 'web-prod' });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties(CLUSTER, { Name: 'web-prod' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/web-prod/cluster' });
  });

  test('ComponentsInstall.WITH_CLUSTER installs the components without content', () => {
    // GIVEN / WHEN
    const { stack, cluster } = clusterStack({ componentsInstall: ComponentsInstall.WITH_CLUSTER });

    // THEN
    const template = Template.fromStack(stack);
    expect(providerFootprint(template)).toEqual({ lambdas: 2, customResources: 3 });
    expect(cluster.kubectlProvider).toBeDefined();
    expect(cluster.albController).toBeDefined();
  });

  test('addHelmChart and addManifest apply through the same provider', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();

    // WHEN
    cluster.addHelmChart('Podinfo', { chart: 'podinfo', repository: 'https://stefanprodan.github.io/podinfo', version: '6.9.2', namespace: 'demo' });
    cluster.addManifest('Quota', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'demo', namespace: 'demo' }, spec: { hard: { pods: '10' } } });

    // THEN
    const template = Template.fromStack(stack);
    expect(Object.values(helmReleases(template))).toContainEqual(expect.objectContaining({ Chart: 'podinfo', Version: '6.9.2', Namespace: 'demo' }));
    expect(manifests(template).map((m) => m.kind)).toContain('ResourceQuota');
    expect(providerFootprint(template).lambdas).toBe(2);
  });
});

describe('validation', () => {
  test.each(['1.34', '1.37'])('rejects Kubernetes %s', (version) => {
    expect(() => clusterStack({ version: eks.KubernetesVersion.of(version) }))
      .toThrow(`'version' must be one of 1.35, 1.36 (versions with a matching kubectl layer), got ${version}`);
  });

  test('rejects a log retention CloudWatch Logs does not accept', () => {
    expect(() => clusterStack({ logRetention: 45 as logs.RetentionDays })).toThrow(
      "'logRetention' must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days, or logs.RetentionDays.INFINITE), got 45");
  });

  test('rejects an invalid cluster name', () => {
    expect(() => clusterStack({ clusterName: '-web' }))
      .toThrow("'clusterName' must be 1-100 letters, digits, '-' or '_' starting with a letter or digit, got '-web'");
  });

  test('rejects node group capacity without node groups', () => {
    expect(() => clusterStack({ capacity: Capacity.nodeGroups() }))
      .toThrow("'capacity' must list at least one node group in Capacity.nodeGroups(...), got none; use Capacity.autoMode() for node-less capacity");
  });

  test('rejects addNodeGroup on an Auto Mode cluster', () => {
    const { cluster } = clusterStack({ capacity: Capacity.autoMode() });
    expect(() => cluster.addNodeGroup({ name: 'gpu' }))
      .toThrow("'addNodeGroup' is not allowed with Capacity.autoMode(): Auto Mode provisions nodes itself, got node group 'gpu'; use Capacity.nodeGroups(...) instead");
  });

  test('rejects the same admin twice', () => {
    const app = new App();
    const { stack, vpc } = vpcStack(app);
    const ops = iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::123456789012:role/ops');
    const again = iam.Role.fromRoleArn(stack, 'Again', 'arn:aws:iam::123456789012:role/ops');
    expect(() => new Cluster(stack, 'Cluster', { vpc, admins: [ops, again] }))
      .toThrow("'admins' must name each role once (EKS allows one access entry per principal), got arn:aws:iam::123456789012:role/ops twice");
  });

  test('rejects two node groups with the same name', () => {
    expect(() => clusterStack({ capacity: Capacity.nodeGroups({ name: 'web' }, { name: 'web' }) }))
      .toThrow("'name' of each node group must be unique, got 'web' twice");
  });
});

describe('environment-agnostic stacks', () => {
  test('synthesize with the region left to deploy time', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Agnostic');
    const vpc = new ec2.Vpc(stack, 'Vpc');

    // WHEN
    const cluster = new Cluster(stack, 'Cluster', { vpc });
    addContent(stack, cluster);

    // THEN
    const values = helmReleases(Template.fromStack(stack))['cluster-autoscaler'].Values;
    expect(JSON.stringify(values)).toContain('AWS::Region');
  });
});

describe('ids', () => {
  test('user ids never collide with the construct\'s own children', () => {
    // GIVEN
    const { stack, cluster } = clusterStack();
    const role = iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::123456789012:role/ops');

    // WHEN / THEN
    expect(() => {
      cluster.addAdmin('Resource', role);
      cluster.addPodIdentity('Resource', { namespace: 'a', serviceAccount: 'a' });
      cluster.addManifest('Resource', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } });
    }).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 2);
  });
});
