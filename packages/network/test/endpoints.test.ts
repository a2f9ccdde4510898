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

  test.each([
    [ec2.InterfaceVpcEndpointAwsService.ECR, 'EcrApiEndpoint'],
    [ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, 'SecretsmanagerEndpoint'],
    [ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME_FIPS, 'SagemakerRuntimeFipsEndpoint'],
  ])('endpointId(%s) is %s', (service, id) => {
    expect(endpointId(service)).toBe(id);
  });
});
