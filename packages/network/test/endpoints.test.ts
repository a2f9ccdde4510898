import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EksEndpoints } from '../src';
import { endpointId } from '../src/endpoints';

describe('EksEndpoints', () => {
  test('ALL holds the seven services EKS nodes call, each once', () => {
    expect(EksEndpoints.ALL.map((s) => s.shortName)).toEqual(['ecr.api', 'ecr.dkr', 'sts', 'logs', 'ec2', 'secretsmanager', 'elasticloadbalancing']);
  });

  test('the minimum without NAT is ECR API, ECR registry and STS', () => {
    expect(EksEndpoints.WITHOUT_NAT_MINIMUM).toEqual([EksEndpoints.ECR_API, EksEndpoints.ECR_DKR, EksEndpoints.STS]);
  });

  // Named by the service's short name: a service object printed in the name holds token numbers, which
  // differ between runs, so no test filter (jest -t, StrykerJS) could find the test again.
  test.each([
    { service: ec2.InterfaceVpcEndpointAwsService.ECR, id: 'EcrApiEndpoint' },
    { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, id: 'SecretsmanagerEndpoint' },
    { service: ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME_FIPS, id: 'SagemakerRuntimeFipsEndpoint' },
  ])('endpointId of $service.shortName is $id', ({ service, id }) => {
    expect(endpointId(service)).toBe(id);
  });
});
