import { Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { checkDnsLabel } from './validation';

/**
 * What an IAM role may do in the namespaces it is granted: an EKS access policy associated at
 * namespace scope. EKS authorizes it itself (not through RBAC objects in the cluster); EKS documents
 * each policy's permissions as Kubernetes RBAC rules.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html
 */
export enum NamespaceAccess {
  /**
   * `AmazonEKSViewPolicy`: get, list and watch most objects of the namespaces, like the Kubernetes
   * `view` ClusterRole bound there: no Secrets, no change, no `exec` or port-forward.
   */
  VIEW = 'VIEW',
  /**
   * `AmazonEKSEditPolicy`: also create, change and delete most objects, Secrets included, like the
   * Kubernetes `edit` ClusterRole bound there; no Roles, RoleBindings or quotas.
   */
  EDIT = 'EDIT',
}

/** Options of {@link Cluster.grantNamespaceAccess}. */
export interface NamespaceAccessOptions {
  /**
   * The Kubernetes namespaces the access applies to: DNS-1123 labels, each once. Changing them updates
   * the access entry's policy association in place.
   */
  readonly namespaces: string[];

  /**
   * What the role may do there.
   * @default NamespaceAccess.VIEW
   */
  readonly access?: NamespaceAccess;
}

/** The EKS access policy of each access level. */
const POLICY_NAMES: Record<NamespaceAccess, string> = {
  [NamespaceAccess.VIEW]: 'AmazonEKSViewPolicy',
  [NamespaceAccess.EDIT]: 'AmazonEKSEditPolicy',
};

/** The name of the EKS access policy an access level associates. */
export function namespaceAccessPolicyName(access: NamespaceAccess): string {
  const name = POLICY_NAMES[access];
  if (name === undefined) {
    throw new Error(`'access' must be one of ${Object.values(NamespaceAccess).map((a) => `NamespaceAccess.${a}`).join(', ')}, got ${JSON.stringify(access)}`);
  }
  return name;
}

/** The namespace-scoped access policy of the options, after checking them. */
export function namespaceAccessPolicy(options: NamespaceAccessOptions): eks.IAccessPolicy {
  const policyName = namespaceAccessPolicyName(options.access ?? NamespaceAccess.VIEW);
  const namespaces = options.namespaces ?? [];
  if (namespaces.length === 0) {
    throw new Error("'namespaces' of 'grantNamespaceAccess' must list at least one namespace, got none; for access to the whole cluster use 'admins'");
  }
  for (const namespace of namespaces) checkDnsLabel('namespaces', namespace);
  const repeated = namespaces.find((n, i) => !Token.isUnresolved(n) && namespaces.indexOf(n) !== i);
  if (repeated !== undefined) {
    throw new Error(`'namespaces' of 'grantNamespaceAccess' must name each namespace once, got '${repeated}' twice`);
  }
  return eks.AccessPolicy.fromAccessPolicyName(policyName, { accessScopeType: eks.AccessScopeType.NAMESPACE, namespaces });
}
