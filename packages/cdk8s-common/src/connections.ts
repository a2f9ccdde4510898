/**
 * NetworkPolicy connections of the libraries' workloads, the way cdk8s-plus `connections` make
 * them: `allowFrom(peer)` writes an ingress policy selecting the workload's pods and, unless the
 * caller limits it with `isolation`, an egress policy selecting the peer's pods (one per namespace
 * of the peer); `allowTo(peer)` the reverse. An IP block has no pods, so it gets no policy of its own.
 * Workloads isolate their pods by default (a deny-all policy with DNS out), so every opening is
 * one of these calls.
 */
import { createHash } from 'crypto';
import {
  INetworkPolicyPeer, IPodSelector, LabelSelector, Namespaces, NetworkPolicy, NetworkPolicyPeerConfig, NetworkPolicyPort,
  NetworkPolicyTrafficDefault, PodConnectionsIsolation, Pods, PodSelectorConfig,
} from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';

/** What the libraries accept where traffic is allowed: any cdk8s-plus peer, or a bare pod selector. */
export type Peer = INetworkPolicyPeer | IPodSelector;

/** A workload of the libraries: a construct that selects its own pods and names its objects. */
export interface Workload extends Construct, INetworkPolicyPeer, IPodSelector {
  /** Base name of the workload's objects. */
  readonly name: string;
}

/**
 * The peer as cdk8s-plus takes it. In Java and C#, cdk8s-plus's `Pods` is only an `IPodSelector`
 * (the network peer methods are not declared there), and a class of the user's may implement only
 * that: such a selector becomes a peer of the same pods, still the same construct (node, path), so
 * the policies it gets are the same as for the selector itself.
 */
export function asPeer(peer: Peer): INetworkPolicyPeer {
  if (typeof (peer as Partial<INetworkPolicyPeer>).toNetworkPolicyPeerConfig === 'function') {
    return peer as INetworkPolicyPeer;
  }
  const pods = peer as IPodSelector;
  const overrides: Pick<INetworkPolicyPeer, 'toNetworkPolicyPeerConfig' | 'toPodSelector'> = {
    toNetworkPolicyPeerConfig: (): NetworkPolicyPeerConfig => ({ podSelector: pods.toPodSelectorConfig() }),
    toPodSelector: () => pods,
  };
  return Object.assign(Object.create(pods), overrides);
}

/**
 * Where a workload's serving ports are kept, on the construct itself. A global symbol, because
 * each library bundles its own copy of this package and either may ask about the other's workload.
 */
const SERVING_PORTS = Symbol.for('@s3www-eks/cdk8s-common.servingPorts');

/** Records the ports a workload serves, for `allowTo(workload)` calls that name no ports. */
export function declareServingPorts(workload: IConstruct, ports: number[]): void {
  Object.defineProperty(workload, SERVING_PORTS, { value: [...ports], enumerable: false });
}

/**
 * The ports a peer serves: those of one of our workloads, or the container ports of a cdk8s-plus
 * workload (its public `containers`), as cdk8s-plus's own `allowTo` takes them; else none known.
 */
export function servingPorts(peer: Peer): NetworkPolicyPort[] {
  const ours = (peer as unknown as Record<symbol, number[] | undefined>)[SERVING_PORTS];
  if (ours) return ours.map((port) => NetworkPolicyPort.tcp(port));
  const containers = (peer as { containers?: Array<{ ports?: Array<{ number: number }> }> }).containers;
  return (containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => NetworkPolicyPort.tcp(p.number)));
}

/** What one `allowFrom` or `allowTo` opens. */
export interface Opening {
  /** Ingress (the peer to the workload) or Egress (the workload to the peer). */
  readonly direction: 'Ingress' | 'Egress';
  /** Word for the opening in construct ids and policy names, e.g. `api`, `console`, `to`. */
  readonly label: string;
  /** Namespace of the workload's pods; undefined: the namespace the manifests are applied to. */
  readonly namespace?: string;
  /** Ports of the rule; empty allows every port. */
  readonly ports: NetworkPolicyPort[];
  /** Which side gets a policy; undefined: both. */
  readonly isolation?: PodConnectionsIsolation;
  /** The verb, for errors, e.g. `allowFrom`. */
  readonly verb: string;
}

/**
 * Opens traffic between a workload and a peer and returns the workload's policy (the peer's, when
 * `isolation` is `PEER`). Calling it again for the same peer returns the same policy.
 */
export function connect(workload: Workload, peer: Peer, opening: Opening): NetworkPolicy {
  const target = asPeer(peer);
  const id = `${opening.label.charAt(0).toUpperCase()}${opening.label.slice(1)}${opening.direction}${target.node.addr}`;
  const existing = workload.node.tryFindChild(id) ?? workload.node.tryFindChild(`${id}Peer0`);
  if (existing) return existing as NetworkPolicy;

  const name = `${workload.name}-${opening.label}-${createHash('sha256').update(target.node.path).digest('hex').slice(0, 8)}`;
  const addRule = (policy: NetworkPolicy, direction: 'Ingress' | 'Egress', other: INetworkPolicyPeer) => {
    if (direction === 'Ingress') policy.addIngressRule(other, opening.ports);
    else policy.addEgressRule(other, opening.ports);
  };
  const policies: NetworkPolicy[] = [];
  if (opening.isolation !== PodConnectionsIsolation.PEER) {
    const ours = new NetworkPolicy(workload, id, { selector: workload, metadata: { name, namespace: opening.namespace } });
    addRule(ours, opening.direction, target);
    policies.push(ours);
  }
  const config = target.toNetworkPolicyPeerConfig();
  if (opening.isolation !== PodConnectionsIsolation.POD && !config.ipBlock) {
    const opposite = opening.direction === 'Ingress' ? 'Egress' : 'Ingress';
    const pods = target.toPodSelector();
    if (!pods) {
      throw new Error(`${opening.verb}(${target.node.path}): the peer selects no pods, so no ${opposite.toLowerCase()} policy can be written for it; pass isolation: PodConnectionsIsolation.POD to open ${workload.name}'s side only`);
    }
    namespacesOf(pods, opening).forEach((namespace, i) => {
      const theirs = new NetworkPolicy(workload, `${id}Peer${i}`, { selector: pods, metadata: { name: `${name}-${opposite.toLowerCase()}`, namespace } });
      addRule(theirs, opposite, workload);
      policies.push(theirs);
    });
  }
  if (policies.length === 0) {
    throw new Error(`${opening.verb}(${target.node.path}) with PodConnectionsIsolation.PEER writes only the peer's policy, and an IP block has none: use PodConnectionsIsolation.POD or leave 'isolation' out`);
  }
  return policies[0];
}

/** The namespaces of a peer's pods by name: cdk8s-plus can write a policy into named namespaces only. */
function namespacesOf(pods: IPodSelector, opening: Opening): Array<string | undefined> {
  const namespaces = pods.toPodSelectorConfig().namespaces;
  if (!namespaces) return [opening.namespace];
  const byLabels = namespaces.labelSelector && !namespaces.labelSelector.isEmpty();
  if (byLabels || !namespaces.names || namespaces.names.length === 0) {
    throw new Error(`${opening.verb}(${pods.node.path}): the peer's pods are in namespaces selected by labels, where no policy can be written for them; select the namespaces by name, or pass isolation: PodConnectionsIsolation.POD`);
  }
  return namespaces.names;
}

/** The cluster DNS: the CoreDNS pods of kube-system (`k8s-app: kube-dns`, as on EKS and most clusters). */
export function kubeDns(scope: Construct): IPodSelector {
  return Pods.select(scope, 'KubeDns', {
    labels: { 'k8s-app': 'kube-dns' },
    namespaces: Namespaces.select(scope, 'KubeSystem', { names: ['kube-system'] }),
  });
}

/** What isolates a workload's pods: its name, namespace, who answers DNS, and the selected pods. */
export interface IsolationProps {
  readonly name: string;
  readonly namespace?: string;
  /** The DNS servers the pods may query (UDP and TCP 53). */
  readonly dns: Peer;
  /** The pods, when not the workload's own. */
  readonly selector?: IPodSelector;
}

/** A policy that lets nothing in or out of the pods but DNS; later rules and policies add to it. */
export function isolate(scope: Construct, id: string, props: IsolationProps): NetworkPolicy {
  const policy = new NetworkPolicy(scope, id, {
    selector: props.selector ?? (scope as unknown as IPodSelector),
    metadata: { name: props.name, namespace: props.namespace },
    ingress: { default: NetworkPolicyTrafficDefault.DENY },
    egress: { default: NetworkPolicyTrafficDefault.DENY },
  });
  policy.addEgressRule(asPeer(props.dns), [NetworkPolicyPort.udp(53), NetworkPolicyPort.tcp(53)]);
  return policy;
}

/** The pods with these labels, in `namespace` or, without one, in the namespace of the selecting policy. */
export function podsOf(labels: Record<string, string>, namespace?: string): PodSelectorConfig {
  return { labelSelector: LabelSelector.of({ labels }), namespaces: namespace ? { names: [namespace] } : undefined };
}
