/**
 * NetworkPolicy rules: the pods are isolated in both directions and every opening is a rule
 * naming peers and ports. DNS is always allowed to the cluster's resolver.
 */
import { k8s } from 'cdk8s-plus-33';
import { NetworkPeer } from './network-peer';

export function toPolicyPeer(peer: NetworkPeer): k8s.NetworkPolicyPeer {
  if (peer.cidr !== undefined) {
    return { ipBlock: { cidr: peer.cidr, ...(peer.except?.length ? { except: peer.except } : {}) } };
  }
  return {
    ...(peer.podLabels ? { podSelector: { matchLabels: peer.podLabels } } : {}),
    ...(peer.namespaceName !== undefined ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespaceName } } } : {}),
  };
}

/** TCP to these ports of these peers. */
export function tcpRule(peers: NetworkPeer[], ports: number[]): { peers: k8s.NetworkPolicyPeer[]; ports: k8s.NetworkPolicyPort[] } {
  return {
    peers: peers.map(toPolicyPeer),
    ports: [...new Set(ports)].sort((a, b) => a - b).map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) })),
  };
}

/** The cluster DNS service's pods (CoreDNS on EKS carries `k8s-app: kube-dns`). */
export const KUBE_DNS = NetworkPeer.pods({ 'k8s-app': 'kube-dns' }, 'kube-system');

export function dnsEgressRule(dns: NetworkPeer): k8s.NetworkPolicyEgressRule {
  return {
    to: [toPolicyPeer(dns)],
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}

export function egressRule(peers: NetworkPeer[], ports: number[]): k8s.NetworkPolicyEgressRule {
  const rule = tcpRule(peers, ports);
  return { to: rule.peers, ports: rule.ports };
}

export function ingressRule(peers: NetworkPeer[], ports: number[]): k8s.NetworkPolicyIngressRule {
  const rule = tcpRule(peers, ports);
  return { from: rule.peers, ports: rule.ports };
}
