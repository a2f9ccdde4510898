import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** Properties of a {@link Cluster}. */
export interface ClusterProps {
  /** The VPC to place the cluster in. */
  readonly vpc: ec2.IVpc;
}

/** An Amazon EKS cluster (work in progress). */
export class Cluster extends Construct {
  /** The VPC the cluster runs in. */
  public readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    this.vpc = props.vpc;
  }
}
