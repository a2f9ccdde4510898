import { checkCidr, checkDnsLabel, fail } from './validation';

/**
 * Pods, a namespace or an IP block that a NetworkPolicy rule names: where traffic to the web
 * tier may come from, or where the backend and the seeder's sources are.
 */
export class NetworkPeer {
  /**
   * Pods with all of these labels, in `namespace` or, if it is omitted, in the namespace of the
   * policy. For example the MinIO pods, or the pods of an in-cluster ingress controller.
   */
  public static pods(labels: Record<string, string>, namespace?: string): NetworkPeer {
    if (Object.keys(labels).length === 0) fail('NetworkPeer.pods(labels)', 'must hold at least one label; use NetworkPeer.namespace() for every pod of a namespace', labels);
    if (namespace !== undefined) checkDnsLabel('NetworkPeer.pods(namespace)', namespace);
    return new NetworkPeer({ ...labels }, namespace, undefined, undefined);
  }

  /** Every pod of a namespace, selected by its `kubernetes.io/metadata.name` label. */
  public static namespace(name: string): NetworkPeer {
    checkDnsLabel('NetworkPeer.namespace(name)', name);
    return new NetworkPeer(undefined, name, undefined, undefined);
  }

  /**
   * Addresses in a CIDR block, less those in `except`. With ALB or NLB IP targets the load
   * balancer's nodes send from the VPC's subnets: name the VPC CIDR (or the public subnets') here.
   */
  public static ipBlock(cidr: string, except?: string[]): NetworkPeer {
    checkCidr('NetworkPeer.ipBlock(cidr)', cidr);
    (except ?? []).forEach((block, i) => checkCidr(`NetworkPeer.ipBlock(except[${i}])`, block));
    return new NetworkPeer(undefined, undefined, cidr, except);
  }

  /** Every IPv4 address: for backends and sources outside the cluster whose addresses change, like AWS S3. */
  public static anyIpv4(): NetworkPeer {
    return NetworkPeer.ipBlock('0.0.0.0/0');
  }

  /** Labels of the selected pods; undefined (with a namespace) selects every pod of the namespace. */
  public readonly podLabels?: Record<string, string>;
  /** Namespace of the selected pods; undefined means the policy's own namespace. */
  public readonly namespaceName?: string;
  /** IP block; set only for peers made by {@link NetworkPeer.ipBlock}. */
  public readonly cidr?: string;
  /** Addresses of {@link NetworkPeer.cidr} that are left out. */
  public readonly except?: string[];

  private constructor(podLabels?: Record<string, string>, namespaceName?: string, cidr?: string, except?: string[]) {
    this.podLabels = podLabels;
    this.namespaceName = namespaceName;
    this.cidr = cidr;
    this.except = except;
  }
}
