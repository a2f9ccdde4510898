import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { clusterStack, helmReleases } from './fixtures';

describe('Cluster Autoscaler', () => {
  let template: Template;
  let clusterName: string;
  beforeAll(() => {
    const { stack, cluster } = clusterStack();
    clusterName = cluster.clusterName;
    template = Template.fromStack(stack);
  });

  test('installs the pinned chart, auto-discovering this cluster\'s node groups with an image matching Kubernetes', () => {
    const release = helmReleases(template)['cluster-autoscaler'];
    expect(release).toEqual(expect.objectContaining({ Chart: 'cluster-autoscaler', Version: '9.53.0', Namespace: 'kube-system', Repository: 'https://kubernetes.github.io/autoscaler' }));
    const values = JSON.parse(release.Values);
    expect(values).toEqual(expect.objectContaining({
      cloudProvider: 'aws',
      awsRegion: 'us-east-1',
      autoDiscovery: { clusterName },
      image: { tag: 'v1.36.0' },
      rbac: { serviceAccount: { create: true, name: 'cluster-autoscaler' } },
    }));
  });

  test('may only scale the Auto Scaling groups tagged for this cluster', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('ClusterAutoscalerIdentityRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          Resource: '*',
          Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' } },
        }]),
      },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'cluster-autoscaler' });
  });

  test('follows the Kubernetes version and a chosen chart version', () => {
    const { stack } = clusterStack({ version: eks.KubernetesVersion.V1_35, clusterAutoscalerChartVersion: '9.51.0' });
    const release = helmReleases(Template.fromStack(stack))['cluster-autoscaler'];
    expect(release.Version).toBe('9.51.0');
    expect(JSON.parse(release.Values).image).toEqual({ tag: 'v1.35.0' });
  });
});
