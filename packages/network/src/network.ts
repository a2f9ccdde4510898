import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Properties of a {@link Network}. */
export interface NetworkProps {
  /**
   * Number of Availability Zones to spread the subnets across.
   * @default 3
   */
  readonly maxAzs?: number;
}

/**
 * A multi-AZ VPC for Amazon EKS.
 *
 * @example
 * import { Stack } from 'aws-cdk-lib';
 * import { Network } from '@s3www-eks/network';
 *
 * const stack = new Stack();
 * new Network(stack, 'Network', { maxAzs: 2 });
 */
export class Network extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: props.maxAzs ?? 3 });
  }
}
