import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * The AWS services an EKS cluster reaches from its private subnets, as interface VPC endpoints.
 *
 * Pass them to `NetworkProps.interfaceEndpoints` (or `Network.addInterfaceEndpoint`) when the
 * nodes have no NAT gateway, or to keep image pulls and AWS API calls off the NAT.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html
 */
export class EksEndpoints {
  /** Amazon ECR API (`ecr.api`): image manifests and authorization tokens. */
  public static readonly ECR_API = ec2.InterfaceVpcEndpointAwsService.ECR;
  /** Amazon ECR registry (`ecr.dkr`): image pulls. */
  public static readonly ECR_DKR = ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER;
  /** AWS STS (`sts`): IAM roles for service accounts and EKS Pod Identity. */
  public static readonly STS = ec2.InterfaceVpcEndpointAwsService.STS;
  /** Amazon CloudWatch Logs (`logs`): container and control-plane log shipping. */
  public static readonly CLOUDWATCH_LOGS = ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS;
  /** Amazon EC2 (`ec2`): node bootstrap and the VPC CNI plugin. */
  public static readonly EC2 = ec2.InterfaceVpcEndpointAwsService.EC2;
  /** AWS Secrets Manager (`secretsmanager`): secrets read by workloads. */
  public static readonly SECRETS_MANAGER = ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER;
  /** Elastic Load Balancing (`elasticloadbalancing`): the AWS Load Balancer Controller. */
  public static readonly ELASTIC_LOAD_BALANCING = ec2.InterfaceVpcEndpointAwsService.ELASTIC_LOAD_BALANCING;

  /**
   * The endpoints a cluster without NAT cannot start without: ECR API, ECR registry and STS
   * (image layers come through the S3 gateway endpoint, on by default).
   */
  public static readonly WITHOUT_NAT_MINIMUM: ec2.InterfaceVpcEndpointAwsService[] = [
    EksEndpoints.ECR_API,
    EksEndpoints.ECR_DKR,
    EksEndpoints.STS,
  ];

  /** All seven endpoints above, for clusters whose nodes have no route to the internet. */
  public static readonly ALL: ec2.InterfaceVpcEndpointAwsService[] = [
    EksEndpoints.ECR_API,
    EksEndpoints.ECR_DKR,
    EksEndpoints.STS,
    EksEndpoints.CLOUDWATCH_LOGS,
    EksEndpoints.EC2,
    EksEndpoints.SECRETS_MANAGER,
    EksEndpoints.ELASTIC_LOAD_BALANCING,
  ];

  private constructor() {}
}

/** A construct id for a service's endpoint, e.g. `EcrApiEndpoint` for `ecr.api`. */
export function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  // A separator at either end leaves an empty word, which adds nothing to the id.
  const words = service.shortName.split(/[^A-Za-z0-9]+/);
  return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}Endpoint`;
}
