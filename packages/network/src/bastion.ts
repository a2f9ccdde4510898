import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Options of {@link Network.addBastion}. */
export interface BastionOptions {
  /**
   * Instance type. The bastion only relays Session Manager sessions, so the smallest burstable
   * type is enough.
   * @default ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Machine image. It must run the SSM Agent (Amazon Linux 2023 ships it).
   * @default - the latest Amazon Linux 2023 for the instance type's architecture, resolved from
   *   AWS Systems Manager at deploy time (a newer image replaces the instance on the next deploy)
   */
  readonly machineImage?: ec2.IMachineImage;

  /**
   * Size of the encrypted gp3 root volume, in GiB (at least the image's own size: 2 GiB for Amazon
   * Linux 2023 minimal, 8 GiB for the standard image).
   * @default 8
   */
  readonly rootVolumeSizeGiB?: number;
}

/** What {@link createBastion} needs from the network. */
export interface BastionContext {
  readonly vpc: ec2.IVpc;
  readonly privateSubnets: ec2.SubnetSelection;
  /** Whether the private subnets reach the internet (and so the public Systems Manager endpoints). */
  readonly hasNat: boolean;
  /** Adds an interface endpoint unless the network already has one for the service. */
  ensureInterfaceEndpoint(service: ec2.InterfaceVpcEndpointAwsService): void;
}

/** The endpoints Session Manager needs when the instance has no route to the internet. */
export const SESSION_MANAGER_ENDPOINTS = [
  ec2.InterfaceVpcEndpointAwsService.SSM,
  ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
  ec2.InterfaceVpcEndpointAwsService.EC2_MESSAGES,
];

/**
 * An instance in a private subnet that people reach only through AWS Systems Manager Session
 * Manager: no public IP, no SSH key, no inbound rule. Access is an IAM decision
 * (`ssm:StartSession` on the instance) and every session is recorded in CloudTrail.
 */
export function createBastion(scope: Construct, id: string, context: BastionContext, options: BastionOptions): ec2.BastionHostLinux {
  const size = options.rootVolumeSizeGiB ?? 8;
  if (!Number.isInteger(size) || size < 2 || size > 1024) {
    throw new Error(`'rootVolumeSizeGiB' must be a whole number of GiB from 2 to 1024, got ${size}`);
  }
  if (!context.hasNat) SESSION_MANAGER_ENDPOINTS.forEach((service) => context.ensureInterfaceEndpoint(service));

  const securityGroup = new ec2.SecurityGroup(scope, `${id}SecurityGroup`, {
    vpc: context.vpc,
    description: 'Session Manager bastion: no inbound rule; HTTPS out to Systems Manager and the endpoints it relays to',
    allowAllOutbound: false,
  });
  // Session Manager, and every port-forwarding target (the EKS API endpoint), speak HTTPS.
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to Systems Manager and port-forwarding targets');

  const bastion = new ec2.BastionHostLinux(scope, id, {
    vpc: context.vpc,
    subnetSelection: context.privateSubnets,
    securityGroup,
    instanceType: options.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MICRO),
    machineImage: options.machineImage,
    requireImdsv2: true,
    blockDevices: [{
      deviceName: '/dev/xvda',
      volume: ec2.BlockDeviceVolume.ebs(size, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
    }],
  });
  // Session Manager's instance-side actions support no resource-level permissions, so the policy
  // aws-cdk-lib's bastion attaches can name no resource.
  Validations.of(bastion).acknowledge(...['Action::ssmmessages:*', 'Action::ec2messages:*', 'Resource::*'].map((finding) => ({
    id: `AwsSolutions-IAM5[${finding}]`,
    reason: 'The SSM Agent\'s actions (ssm:UpdateInstanceInformation, ssmmessages:*, ec2messages:*) have no resource-level permissions',
  })),
  {
    id: 'AwsSolutions-EC28',
    reason: 'The bastion only relays sessions: its health is Session Manager connectivity, and 5-minute basic metrics are enough',
  },
  {
    id: 'AwsSolutions-EC29',
    reason: 'The bastion holds no data and is replaced, not repaired: termination protection or an Auto Scaling group would add nothing',
  });
  return bastion;
}
