import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { checkDnsLabel, checkDnsSubdomain } from './validation';

/** Options of a workload identity through EKS Pod Identity. */
export interface PodIdentityOptions {
  /** Namespace of the Kubernetes service account. Changing it replaces the association. */
  readonly namespace: string;

  /** Name of the Kubernetes service account (it may be created later, e.g. by a chart). Changing it replaces the association. */
  readonly serviceAccount: string;

  /**
   * The IAM role the pods assume. It must trust `pods.eks.amazonaws.com` with `sts:AssumeRole` and `sts:TagSession`.
   * @default - a new role trusting EKS Pod Identity
   */
  readonly role?: iam.IRole;
}

/** Properties of a {@link PodIdentity}. */
export interface PodIdentityProps extends PodIdentityOptions {
  /** The cluster whose pods get the identity. */
  readonly cluster: eks.ICluster;
}

/**
 * An IAM role that the pods of one Kubernetes service account assume through EKS Pod Identity.
 * Native CloudFormation only: no kubectl, no OIDC provider. Grant it permissions like any principal.
 */
export class PodIdentity extends Construct implements iam.IGrantable {
  /** The role the pods assume. */
  public readonly role: iam.IRole;

  /** The principal to grant permissions to (the role). */
  public readonly grantPrincipal: iam.IPrincipal;

  /** The `AWS::EKS::PodIdentityAssociation`. */
  public readonly association: eks.CfnPodIdentityAssociation;

  /** Namespace of the service account. */
  public readonly namespace: string;

  /** Name of the service account. */
  public readonly serviceAccount: string;

  constructor(scope: Construct, id: string, props: PodIdentityProps) {
    super(scope, id);
    checkDnsLabel('namespace', props.namespace);
    checkDnsSubdomain('serviceAccount', props.serviceAccount);
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    this.role = props.role ?? podIdentityRole(this, 'Role', `${props.namespace}/${props.serviceAccount}`);
    this.grantPrincipal = this.role;
    this.association = new eks.CfnPodIdentityAssociation(this, 'Association', {
      clusterName: props.cluster.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.roleArn,
    });
  }
}

/** A role that EKS Pod Identity may hand to pods (it tags the session with the pod's attributes). */
export function podIdentityRole(scope: Construct, id: string, serviceAccount: string): iam.Role {
  return new iam.Role(scope, id, {
    assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    description: `EKS Pod Identity for ${serviceAccount}`,
  });
}
