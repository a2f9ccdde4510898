/**
 * Prints the Lambda functions and custom resources each scenario synthesizes (README figures).
 * Run: CDK_VALIDATION=false npx ts-node --transpile-only test/footprint.ts
 */
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Capacity, ChatWebhook } from '../src';
import { addContent, appChart, clusterStack, providerFootprint, vpcStack } from './fixtures';

/** The same workload on plain aws-eks-v2: ALB controller, the chart, and ESO with a synced secret. */
function plainEksV2(): Template {
  const { stack, vpc } = vpcStack();
  const cluster = new eks.Cluster(stack, 'Cluster', {
    vpc,
    version: eks.KubernetesVersion.V1_36,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(stack, 'Kubectl') },
    albController: { version: eks.AlbControllerVersion.V3_2_2 },
  });
  const secret = new secretsmanager.Secret(stack, 'Credentials');
  const eso = cluster.addHelmChart('Eso', { chart: 'external-secrets', repository: 'https://charts.external-secrets.io', version: '2.7.0', namespace: 'external-secrets' });
  const sa = cluster.addServiceAccount('EsoSa', { namespace: 'external-secrets', name: 'external-secrets' });
  secret.grantRead(sa);
  cluster.addCdk8sChart('Web', appChart());
  cluster.addManifest('Sync', { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'credentials', namespace: 'web' } }).node.addDependency(eso);
  return Template.fromStack(stack);
}

const rows: Array<[string, Template]> = [];
for (const [mode, capacity] of [['node groups', undefined], ['Auto Mode', Capacity.autoMode()]] as const) {
  rows.push([`${mode}, lean (\`kubectlEnabled: false\`)`, Template.fromStack(clusterStack({ capacity, kubectlEnabled: false }).stack)]);
  rows.push([`${mode}, cluster only`, Template.fromStack(clusterStack({ capacity }).stack)]);
  const s = clusterStack({ capacity });
  addContent(s.stack, s.cluster);
  rows.push([`${mode}, with content (addChart + syncSecret)`, Template.fromStack(s.stack)]);
}
// Operations options: the native ones add no function; monitoring needs the kubectl provider.
const native = {
  containerLogs: {},
  backup: {},
  budget: { monthlyLimitUsd: 100, emails: ['ops@example.com'] },
  costTags: { project: 's3www', environment: 'dev', costCenter: 'cc-1' },
  notifications: { emails: ['oncall@example.com'] },
};
rows.push(['node groups, lean + containerLogs, backup, budget, costTags, notifications', Template.fromStack(clusterStack({ ...native, kubectlEnabled: false }).stack)]);
rows.push(['node groups, cluster only + containerLogs, backup, budget, costTags, notifications', Template.fromStack(clusterStack(native).stack)]);
rows.push(['node groups, monitoring, no other content', Template.fromStack(clusterStack({ monitoring: {} }).stack)]);
const ops = clusterStack({ monitoring: {}, containerLogs: {}, backup: {} });
addContent(ops.stack, ops.cluster);
rows.push(['node groups, every operations option, with content', Template.fromStack(ops.stack)]);
for (const withLoadBalancerAlarms of [false, true]) {
  const { stack: webhookStack } = vpcStack();
  const webhook = secretsmanager.Secret.fromSecretNameV2(webhookStack, 'Webhook', 'alerts/chat');
  const alerting = clusterStack({ monitoring: {}, containerLogs: {}, backup: {}, notifications: { chatWebhook: ChatWebhook.slack(webhook) } }, webhookStack.node.root as any, 'Chat');
  addContent(alerting.stack, alerting.cluster);
  if (withLoadBalancerAlarms) {
    alerting.cluster.getIngressLoadBalancerAddress('site', { namespace: 'web' });
    alerting.cluster.addLoadBalancerAlarms('Site', { loadBalancerName: 'site' });
  }
  rows.push([withLoadBalancerAlarms ? 'the same + getIngressLoadBalancerAddress() + addLoadBalancerAlarms()' : 'node groups, every operations option and notifications with a chat webhook, with content', Template.fromStack(alerting.stack)]);
}
rows.push(['plain aws-eks-v2, same content (reference)', plainEksV2()]);

console.log('| Scenario | Lambda functions | Custom resources |');
console.log('| --- | --- | --- |');
for (const [name, template] of rows) {
  const { lambdas, customResources } = providerFootprint(template);
  console.log(`| ${name} | ${lambdas} | ${customResources} |`);
}
