import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cdk8s from 'cdk8s';
import { Capacity, Cluster } from '../src';
import { addContent, clusterStack, helmReleases, manifests, providerFootprint, vpcStack } from './fixtures';

const CLUSTER = 'AWS::EKS::Cluster';

describe('defaults', () => {
  let template: Template;
  let clusterName: string;
  let cluster: Cluster;
  beforeAll(() => {
    const created = clusterStack();
    cluster = created.cluster;
    clusterName = cluster.clusterName;
    template = Template.fromStack(created.stack);
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
    // The only access entry is the kubectl handler's.
    template.resourceCountIs('AWS::EKS::AccessEntry', 1);
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ClusterKubectlProviderHandlerServiceRole'), 'Arn'] },
    });
  });

  test('installs the load balancer controller, the autoscaler and the gp3 default StorageClass without any content', () => {
    expect(Object.keys(helmReleases(template)).sort()).toEqual(['aws-load-balancer-controller', 'cluster-autoscaler']);
    expect(manifests(template)).toEqual([expect.objectContaining({
      kind: 'StorageClass',
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' }, labels: expect.any(Object) },
      parameters: { type: 'gp3', encrypted: 'true' },
    })]);
    expect(cluster.kubectlEnabled).toBe(true);
    expect(cluster.kubectlProvider).toBeDefined();
    expect(cluster.albController).toBeDefined();
    expect(cluster.clusterAutoscaler).toBeDefined();
    expect(cluster.platformManifest).toBeDefined();
  });

  test('needs the kubectl provider\'s two Lambda functions and a custom resource per component', () => {
    expect(providerFootprint(template)).toEqual({ lambdas: 2, customResources: 3 });
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

  test('keeps one load balancer controller, autoscaler and gp3 StorageClass, and adds External Secrets Operator with the first syncSecret', () => {
    expect(Object.keys(helmReleases(template)).sort()).toEqual(['aws-load-balancer-controller', 'cluster-autoscaler', 'external-secrets']);
    expect(manifests(template).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(expect.arrayContaining(['StorageClass/gp3', 'Namespace/web', 'ConfigMap/web']));
  });

  test('never applies an aws-auth ConfigMap', () => {
    expect(manifests(template).filter((m) => m.metadata.name === 'aws-auth')).toEqual([]);
  });

  test('applies content after kubectl access, nodes, add-ons and the load balancer controller', () => {
    const resources = template.toJSON().Resources;
    const [chartId] = Object.keys(template.findResources('Custom::AWSCDK-EKS-KubernetesResource', { Properties: { Manifest: Match.stringLikeRegexp('ConfigMap') } }));
    const dependsOn = resources[chartId].DependsOn as string[];
    for (const prefix of ['ClusterKubectlReadyBarrier', 'ClusterNodegroupdefault', 'ClusterCoreDns', 'ClusterAlbControllerChart', 'ClusterClusterAutoscalerChart', 'ClusterPlatform']) {
      expect(dependsOn.some((d) => d.startsWith(prefix))).toBe(true);
    }
    // aws-eks-v2's barrier waits for the kubectl handler's access entry.
    const barrier = dependsOn.find((d) => d.startsWith('ClusterKubectlReadyBarrier'))!;
    const [accessEntry] = Object.keys(template.findResources('AWS::EKS::AccessEntry'));
    expect(resources[barrier].DependsOn).toContain(accessEntry);
  });
});

describe('Auto Mode without content', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(clusterStack({ capacity: Capacity.autoMode() }).stack);
  });

  test('installs the gp3 default StorageClass and the alb IngressClass, and no Helm release', () => {
    expect(manifests(template).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['StorageClass/gp3', 'IngressClassParams/alb', 'IngressClass/alb']);
    expect(helmReleases(template)).toEqual({});
    expect(providerFootprint(template)).toEqual({ lambdas: 2, customResources: 1 });
  });

  test('gives the nodes a role of their own with the two policies EKS documents for Auto Mode nodes', () => {
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] } } }));
    expect(roleId).toMatch(/^ClusterAutoModeNodeRole/);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ec2.amazonaws.com' } })] },
      ManagedPolicyArns: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEC2ContainerRegistryPullOnly']] },
      ],
    });
    template.hasResourceProperties(CLUSTER, { ComputeConfig: { Enabled: true, NodePools: ['system', 'general-purpose'], NodeRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } } });
  });
});

describe('lean: kubectlEnabled false', () => {
  let template: Template;
  let cluster: Cluster;
  beforeAll(() => {
    const created = clusterStack({ kubectlEnabled: false });
    cluster = created.cluster;
    template = Template.fromStack(created.stack);
  });

  test('has no Lambda function, no custom resource and no access entry', () => {
    expect(providerFootprint(template)).toEqual({ lambdas: 0, customResources: 0 });
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
    template.resourceCountIs('AWS::Lambda::LayerVersion', 0);
    expect(cluster.kubectlEnabled).toBe(false);
    expect(cluster.kubectlProvider).toBeUndefined();
  });

  test('installs no load balancer controller, autoscaler or StorageClass, and keeps the managed add-ons and node group', () => {
    expect(cluster.albController).toBeUndefined();
    expect(cluster.clusterAutoscaler).toBeUndefined();
    expect(cluster.platformManifest).toBeUndefined();
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    template.resourceCountIs('AWS::EKS::Addon', 6);
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
  });

  test.each<[string, (c: Cluster) => unknown]>([
    ['addChart', (c) => c.addChart('Web', new cdk8s.Chart(new cdk8s.App(), 'web'))],
    ['addManifest', (c) => c.addManifest('Quota', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } })],
    ['addHelmChart', (c) => c.addHelmChart('Podinfo', { chart: 'podinfo', repository: 'https://stefanprodan.github.io/podinfo', version: '6.9.2' })],
    ['syncSecret', (c) => c.syncSecret('Credentials', { secret: secretsmanager.Secret.fromSecretNameV2(c, 'Secret', 'web'), namespace: 'web', name: 'credentials' })],
    ['getIngressLoadBalancerAddress', (c) => c.getIngressLoadBalancerAddress('site', { namespace: 'web' })],
    ['getServiceLoadBalancerAddress', (c) => c.getServiceLoadBalancerAddress('site', { namespace: 'web' })],
  ])('%s throws, naming the prop', (method, call) => {
    expect(() => call(cluster)).toThrow(`'${method}' needs the kubectl Lambda, which 'kubectlEnabled: false' leaves out: `
      + "apply Kubernetes content with your own tools (GitOps, kubectl), or remove 'kubectlEnabled: false'");
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
    // The two admins and the kubectl handler.
    template.resourceCountIs('AWS::EKS::AccessEntry', 3);
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

  test.each([
    ['monitoring', { monitoring: {} }, "'monitoring' needs the kubectl Lambda, which 'kubectlEnabled: false' leaves out: remove it, or 'kubectlEnabled: false'"],
    ['albControllerVersion', { albControllerVersion: eks.AlbControllerVersion.V3_2_2 }, "'albControllerVersion' needs the kubectl Lambda, which 'kubectlEnabled: false' leaves out: remove it, or 'kubectlEnabled: false'"],
    ['the chart versions', { clusterAutoscalerChartVersion: '9.53.0', externalSecretsChartVersion: '2.7.0' },
      "'clusterAutoscalerChartVersion', 'externalSecretsChartVersion' need the kubectl Lambda, which 'kubectlEnabled: false' leaves out: remove them, or 'kubectlEnabled: false'"],
  ])('rejects %s with kubectlEnabled false', (_name, props, message) => {
    expect(() => clusterStack({ kubectlEnabled: false, ...props })).toThrow(message);
  });

  test('warns that backup and cost tags reach no volume on a lean cluster', () => {
    const { stack } = clusterStack({ kubectlEnabled: false, backup: {} });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp("'backup' and 'costTags' reach EBS volumes through the tags of the gp3 StorageClass, which 'kubectlEnabled: false' does not install"));
  });
});

describe('load balancer addresses', () => {
  let template: Template;
  let cluster: Cluster;
  let address: string;
  let again: string;
  beforeAll(() => {
    const created = clusterStack();
    cluster = created.cluster;
    cluster.addManifest('Before', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
    address = cluster.getIngressLoadBalancerAddress('site', { namespace: 'web', timeout: Duration.minutes(10) });
    again = cluster.getIngressLoadBalancerAddress('site', { namespace: 'web' });
    cluster.addManifest('After', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site', namespace: 'web' }, data: { host: address } });
    cluster.getServiceLoadBalancerAddress('nlb');
    template = Template.fromStack(created.stack);
  });

  const lookups = () => template.findResources('Custom::AWSCDK-EKS-KubernetesObjectValue');
  const idOf = (prefix: string) => Object.keys(template.toJSON().Resources).find((id) => id.startsWith(prefix))!;

  test('reads the Ingress\' host name through the kubectl provider, as aws-eks-v2 does', () => {
    const id = idOf('ClusterLoadBalancerAddressesingresswebsite');
    expect(lookups()[id].Properties).toEqual(expect.objectContaining({
      ObjectType: 'ingress',
      ObjectName: 'site',
      ObjectNamespace: 'web',
      JsonPath: '.status.loadBalancer.ingress[0].hostname',
      TimeoutSeconds: 600,
    }));
    expect(Stack.of(cluster).resolve(address)).toEqual({ 'Fn::GetAtt': [id, 'Value'] });
  });

  test('looks the same Ingress up once, and a Service in the default namespace with the default timeout', () => {
    expect(again).toBe(address);
    expect(Object.keys(lookups())).toHaveLength(2);
    expect(lookups()[idOf('ClusterLoadBalancerAddressesservicedefaultnlb')].Properties).toEqual(expect.objectContaining({
      ObjectType: 'service', ObjectName: 'nlb', ObjectNamespace: 'default', TimeoutSeconds: 300,
    }));
  });

  test('waits for the content added before it, and content added after it may use the address', () => {
    const resources = template.toJSON().Resources;
    const lookup = idOf('ClusterLoadBalancerAddressesingresswebsite');
    expect(resources[lookup].DependsOn).toEqual(expect.arrayContaining([idOf('ClusterContentBefore'), idOf('ClusterAlbControllerChart')]));
    expect(resources[lookup].DependsOn).not.toContain(idOf('ClusterContentAfter'));
    expect(JSON.stringify(resources[idOf('ClusterContentAfter')].Properties.Manifest)).toContain(lookup);
  });

  test.each([
    ['a timeout above 14 minutes', () => cluster.getIngressLoadBalancerAddress('web', { timeout: Duration.minutes(15) }),
      "'timeout' of 'getIngressLoadBalancerAddress' must be at most 14 minutes (the kubectl handler stops after 15), got 15 minutes"],
    ['an invalid Ingress name', () => cluster.getIngressLoadBalancerAddress('Site'),
      "'ingressName' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'Site'"],
    ['an invalid namespace', () => cluster.getServiceLoadBalancerAddress('site', { namespace: 'web.prod' }),
      "'namespace' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got 'web.prod'"],
    ['a token as the name', () => cluster.getServiceLoadBalancerAddress(Aws.STACK_NAME),
      "'serviceName' of 'getServiceLoadBalancerAddress' must be a literal name, got a token: the name identifies the lookup in the template"],
  ])('rejects %s', (_name, call, message) => {
    expect(call).toThrow(message);
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
