import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { clusterStack } from './fixtures';
import { resolveAddonVersions } from '../src/addons';

const ADDON = 'AWS::EKS::Addon';

describe('managed add-ons', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(clusterStack().stack);
  });

  test.each([
    ['vpc-cni', 'v1.21.1-eksbuild.1'],
    ['coredns', 'v1.13.2-eksbuild.3'],
    ['kube-proxy', 'v1.36.0-eksbuild.1'],
    ['eks-pod-identity-agent', 'v1.3.10-eksbuild.2'],
    ['metrics-server', 'v0.8.0-eksbuild.2'],
    ['aws-ebs-csi-driver', 'v1.57.1-eksbuild.1'],
  ])('pins %s to %s', (addonName, addonVersion) => {
    template.hasResourceProperties(ADDON, { AddonName: addonName, AddonVersion: addonVersion, ResolveConflicts: 'OVERWRITE' });
  });

  test('enforces NetworkPolicies through the VPC CNI network policy agent', () => {
    template.hasResourceProperties(ADDON, { AddonName: 'vpc-cni', ConfigurationValues: '{"enableNetworkPolicy":"true"}' });
  });

  test('installs exactly the six add-ons', () => {
    template.resourceCountIs(ADDON, 6);
  });

  test('gives the EBS CSI driver its IAM role through Pod Identity', () => {
    const [roleId] = Object.keys(template.findResources('AWS::IAM::Role', {
      Properties: { Description: 'EKS Pod Identity for kube-system/ebs-csi-controller-sa' },
    }));
    template.hasResourceProperties(ADDON, {
      AddonName: 'aws-ebs-csi-driver',
      PodIdentityAssociations: [{ ServiceAccount: 'ebs-csi-controller-sa', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } }],
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'EKS Pod Identity for kube-system/ebs-csi-controller-sa',
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']] }],
    });
  });

  test('kube-proxy and CoreDNS follow the Kubernetes version', () => {
    const { stack } = clusterStack({ version: eks.KubernetesVersion.V1_35 });
    const older = Template.fromStack(stack);
    older.hasResourceProperties(ADDON, { AddonName: 'kube-proxy', AddonVersion: 'v1.35.0-eksbuild.2' });
    older.hasResourceProperties(ADDON, { AddonName: 'coredns', AddonVersion: 'v1.13.2-eksbuild.3' });
  });

  test('addonVersions overrides a pin', () => {
    const { stack, cluster } = clusterStack({ addonVersions: { vpcCni: 'v1.21.2-eksbuild.1', metricsServer: 'v0.8.1-eksbuild.1' } });
    const template2 = Template.fromStack(stack);
    template2.hasResourceProperties(ADDON, { AddonName: 'vpc-cni', AddonVersion: 'v1.21.2-eksbuild.1' });
    template2.hasResourceProperties(ADDON, { AddonName: 'metrics-server', AddonVersion: 'v0.8.1-eksbuild.1' });
    expect(Object.keys(cluster.addons).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'metrics-server', 'vpc-cni']);
  });

  test('resolveAddonVersions fills every version', () => {
    expect(Object.values(resolveAddonVersions('1.35')).every((v) => /^v\d+\.\d+\.\d+-eksbuild\.\d+$/.test(v))).toBe(true);
  });
});
