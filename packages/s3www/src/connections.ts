import { connect, servingPorts, Workload } from '@s3www-eks/cdk8s-common';
import { INetworkPolicyPeer, IPodSelector, NetworkPolicy, NetworkPolicyPort, PodConnectionsIsolation } from 'cdk8s-plus-33';

/** Options of `allowFrom`: which side's NetworkPolicy is written. */
export interface AllowFromOptions {
  /**
   * Which side gets a NetworkPolicy, as in cdk8s-plus `connections.allowFrom`:
   * `PodConnectionsIsolation.POD` writes only this workload's ingress policy (for a peer that is
   * not egress-isolated, whose pods an egress policy would cut off from everything else),
   * `PodConnectionsIsolation.PEER` only the peer's egress policy.
   * @default - both: this workload's ingress policy and the peer's egress policy (none for an IP block)
   */
  readonly isolation?: PodConnectionsIsolation;
}

/** Options of `allowTo`: which side's NetworkPolicy is written, on which ports. */
export interface AllowToOptions {
  /**
   * Which side gets a NetworkPolicy, as in cdk8s-plus `connections.allowTo`:
   * `PodConnectionsIsolation.POD` writes only this workload's egress policy (for a peer that is
   * not ingress-isolated), `PodConnectionsIsolation.PEER` only the peer's ingress policy.
   * @default - both: this workload's egress policy and the peer's ingress policy (none for an IP block)
   */
  readonly isolation?: PodConnectionsIsolation;

  /**
   * Ports of the peer to allow.
   * @default - the ports the peer serves when it is a cdk8s-plus workload or a workload of these libraries (MinIO: 9000), else every port
   */
  readonly ports?: NetworkPolicyPort[];
}

/** `allowTo` of a workload of this package: its egress policy and, unless isolated, the peer's ingress policy. */
export function allowTo(
  workload: Workload, namespace: string | undefined, peer: INetworkPolicyPeer | IPodSelector, options: AllowToOptions,
): NetworkPolicy {
  return connect(workload, peer, {
    direction: 'Egress',
    label: 'to',
    namespace,
    ports: options.ports ?? servingPorts(peer),
    isolation: options.isolation,
    verb: 'allowTo',
  });
}
