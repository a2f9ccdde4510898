import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Capacity } from '../src';
import { clusterStack, providerFootprint } from './fixtures';

const ADDON = 'amazon-cloudwatch-observability';

describe('container logs', () => {
  let template: Template;
  let clusterName: string;
  beforeAll(() => {
    // Lean: the add-on is native CloudFormation and needs no kubectl Lambda.
    const { stack, cluster } = clusterStack({ containerLogs: {}, kubectlEnabled: false });
    clusterName = cluster.clusterName;
    template = Template.fromStack(stack);
  });

  test('installs the pinned CloudWatch Observability add-on with container logs on', () => {
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: ADDON,
      AddonVersion: 'v6.7.0-eksbuild.1',
      ResolveConflicts: 'OVERWRITE',
      ConfigurationValues: JSON.stringify({ containerLogs: { enabled: true } }),
    });
  });

  test('gives the agent CloudWatchAgentServerPolicy through Pod Identity', () => {
    const [addon] = Object.values(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: ADDON } }));
    const [association] = addon.Properties.PodIdentityAssociations;
    expect(association.ServiceAccount).toBe('cloudwatch-agent');
    const roleId = association.RoleArn['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId];
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toEqual(expect.objectContaining({
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Principal: { Service: 'pods.eks.amazonaws.com' },
    }));
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/CloudWatchAgentServerPolicy');
  });

  test('creates the four container log groups first, with one month retention by default', () => {
    for (const name of ['application', 'dataplane', 'host', 'performance']) {
      template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/containerinsights/${clusterName}/${name}`, RetentionInDays: 30 });
    }
    const [addon] = Object.values(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: ADDON } }));
    expect((addon.DependsOn as string[]).filter((d) => d.startsWith('ClusterContainerLogs'))).toHaveLength(4);
  });

  test('starts after the nodes and the Pod Identity Agent', () => {
    const [addon] = Object.values(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: ADDON } }));
    const dependsOn = addon.DependsOn as string[];
    expect(dependsOn.some((d) => d.startsWith('ClusterPodIdentityAgent'))).toBe(true);
    expect(dependsOn.some((d) => d.startsWith('ClusterNodegroupdefault'))).toBe(true);
  });

  test('needs no Lambda function and no custom resource: it works on a lean cluster', () => {
    expect(providerFootprint(template)).toEqual({ lambdas: 0, customResources: 0 });
  });

  test('retention and add-on version are configurable, on Auto Mode too', () => {
    // GIVEN / WHEN
    const { stack, cluster } = clusterStack({
      capacity: Capacity.autoMode(),
      containerLogs: { retention: logs.RetentionDays.ONE_WEEK, addonVersion: 'v6.8.0-eksbuild.1' },
    });

    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EKS::Addon', { AddonName: ADDON, AddonVersion: 'v6.8.0-eksbuild.1' });
    t.resourcePropertiesCountIs('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('containerinsights'), RetentionInDays: 7 }, 4);
    expect(cluster.addons[ADDON]).toBeDefined();
    expect(cluster.containerLogGroups).toHaveLength(4);
  });

  test('is off by default', () => {
    const { stack, cluster } = clusterStack();
    const t = Template.fromStack(stack);
    t.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: ADDON }, 0);
    t.resourceCountIs('AWS::Logs::LogGroup', 1);
    expect(cluster.containerLogGroups).toBeUndefined();
  });
});

describe('validation', () => {
  test('rejects a retention CloudWatch Logs does not accept', () => {
    expect(() => clusterStack({ containerLogs: { retention: 2 as logs.RetentionDays } })).toThrow(
      "'containerLogs.retention' must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days, or logs.RetentionDays.INFINITE), got 2");
  });
});
