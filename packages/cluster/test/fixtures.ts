import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cdk8s from 'cdk8s';
import { Cluster, ClusterProps } from '../src';

const ENV = { account: '123456789012', region: 'us-east-1' };

/** A stack with a VPC like @s3www-eks/network's: public and private subnets in three zones. */
export function vpcStack(app: App = new App(), id = 'Test'): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(app, id, { env: ENV });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3, natGateways: 1 });
  Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: 'Test fixture: the production VPC comes from @s3www-eks/network, which has flow logs' });
  return { stack, vpc };
}

/** A cluster in a fresh stack. */
export function clusterStack(props: Partial<ClusterProps> = {}, app: App = new App(), id = 'Test'): { stack: Stack; cluster: Cluster } {
  const { stack, vpc } = vpcStack(app, id);
  const cluster = new Cluster(stack, 'Cluster', { vpc, ...props });
  return { stack, cluster };
}

/** A cdk8s chart with a namespace and a config map, standing in for an application chart. */
export function appChart(): cdk8s.Chart {
  const chart = new cdk8s.Chart(new cdk8s.App(), 'web');
  new cdk8s.ApiObject(chart, 'Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  new cdk8s.ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'web' }, data: { mode: 'demo' } });
  return chart;
}

/** Adds the content the README measures: a cdk8s chart and one synced secret. */
export function addContent(stack: Stack, cluster: Cluster): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(stack, 'Credentials', {
    generateSecretString: { secretStringTemplate: '{"username":"web"}', generateStringKey: 'password' },
  });
  Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: 'Test fixture: rotation belongs to the application that owns the secret' });
  const app = cluster.addChart('Web', appChart());
  cluster.syncSecret('Credentials', { secret, namespace: 'web', name: 'credentials' }).node.addDependency(app);
  return secret;
}

/** Number of Lambda functions and custom resources in a template. */
export function providerFootprint(template: Template): { lambdas: number; customResources: number } {
  const resources = Object.values(template.toJSON().Resources as Record<string, { Type: string }>);
  return {
    lambdas: resources.filter((r) => r.Type === 'AWS::Lambda::Function').length,
    customResources: resources.filter((r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource').length,
  };
}

/** The Kubernetes objects of every manifest custom resource in the template (plain JSON only). */
export function manifests(template: Template): Array<Record<string, any>> {
  const found = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
  return Object.values(found).flatMap((r: any) => {
    const manifest = r.Properties.Manifest;
    return typeof manifest === 'string' ? JSON.parse(manifest) : [];
  });
}

/** The Helm releases in the template, by release name. */
export function helmReleases(template: Template): Record<string, any> {
  const found = template.findResources('Custom::AWSCDK-EKS-HelmChart');
  return Object.fromEntries(Object.values(found).map((r: any) => [r.Properties.Release, r.Properties]));
}
