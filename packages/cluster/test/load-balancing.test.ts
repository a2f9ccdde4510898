import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { clusterStack, helmReleases } from './fixtures';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { albControllerPolicy, autoModeIngressClass } from '../src/load-balancing';

describe('AWS Load Balancer Controller', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(clusterStack().stack);
  });

  test('installs the pinned chart in kube-system, waiting for it to be ready', () => {
    expect(helmReleases(template)['aws-load-balancer-controller']).toEqual(expect.objectContaining({
      Chart: 'aws-load-balancer-controller',
      Repository: 'https://aws.github.io/eks-charts',
      Version: eks.AlbControllerVersion.V3_2_2.helmChartVersion,
      Namespace: 'kube-system',
      Wait: true,
    }));
  });

  test('serves the alb Ingress class for this cluster and VPC', () => {
    const values = JSON.stringify(helmReleases(template)['aws-load-balancer-controller'].Values);
    for (const fragment of ['\\"ingressClass\\":\\"alb\\"', '\\"createIngressClassResource\\":true', '\\"name\\":\\"aws-load-balancer-controller\\"', 'Vpc8378EB38']) {
      expect(values).toContain(fragment);
    }
  });

  test('gets the AWS-published IAM policy through Pod Identity, not OIDC', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'aws-load-balancer-controller' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('AlbControllerIdentityRole') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['elasticloadbalancing:CreateLoadBalancer']) })]) },
    });
    template.resourceCountIs('Custom::AWSCDKOpenIdConnectProvider', 0);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 0);
  });

  test('rewrites policy ARNs for any partition', () => {
    const policy = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policy).not.toContain('"arn:aws:');
  });

  test('albControllerPolicy reads the policy aws-cdk-lib ships', () => {
    expect(albControllerPolicy(eks.AlbControllerVersion.V3_2_2).Statement.length).toBeGreaterThan(10);
  });

  test('rejects a custom controller version, whose policy is unknown', () => {
    expect(() => clusterStack({ albControllerVersion: eks.AlbControllerVersion.of('v9.9.9', '9.9.9') }))
      .toThrow("'albControllerVersion' must be one of the eks.AlbControllerVersion constants (its IAM policy ships with aws-cdk-lib), got v9.9.9");
  });
});

describe('Auto Mode Ingress class', () => {
  test('is a valid IngressClass served by Auto Mode', () => {
    const [params, ingressClass] = autoModeIngressClass();
    expectSchemaValid([ingressClass]);
    expect(params).toEqual({ apiVersion: 'eks.amazonaws.com/v1', kind: 'IngressClassParams', metadata: { name: 'alb' }, spec: {} });
    expect(ingressClass).toEqual(expect.objectContaining({
      spec: { controller: 'eks.amazonaws.com/alb', parameters: { apiGroup: 'eks.amazonaws.com', kind: 'IngressClassParams', name: 'alb' } },
    }));
  });
});
