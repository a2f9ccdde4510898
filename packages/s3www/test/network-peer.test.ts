import { NetworkPeer } from '../src';
import { toPolicyPeer } from '../src/network-policy';

describe('NetworkPeer', () => {
  test('pods in the policy namespace', () => {
    expect(toPolicyPeer(NetworkPeer.pods({ app: 'alb-proxy' }))).toEqual({ podSelector: { matchLabels: { app: 'alb-proxy' } } });
  });

  test('pods in another namespace', () => {
    expect(toPolicyPeer(NetworkPeer.pods({ app: 'minio' }, 'storage'))).toEqual({
      podSelector: { matchLabels: { app: 'minio' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } },
    });
  });

  test('every pod of a namespace', () => {
    expect(toPolicyPeer(NetworkPeer.namespace('ingress'))).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } } });
  });

  test('an IP block with and without exceptions', () => {
    expect(toPolicyPeer(NetworkPeer.ipBlock('10.0.0.0/16'))).toEqual({ ipBlock: { cidr: '10.0.0.0/16' } });
    expect(toPolicyPeer(NetworkPeer.ipBlock('2001:db8::/32', ['2001:db8:1::/48']))).toEqual({ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } });
    expect(toPolicyPeer(NetworkPeer.anyIpv4())).toEqual({ ipBlock: { cidr: '0.0.0.0/0' } });
  });

  test('labels are copied, so later changes to the caller\'s object do not leak in', () => {
    const labels: Record<string, string> = { app: 'a' };
    const peer = NetworkPeer.pods(labels);
    labels.app = 'b';
    expect(peer.podLabels).toEqual({ app: 'a' });
  });

  describe('validation', () => {
    test.each([
      [() => NetworkPeer.pods({}), '\'NetworkPeer.pods(labels)\' must hold at least one label; use NetworkPeer.namespace() for every pod of a namespace, got {}'],
      [() => NetworkPeer.pods({ a: 'b' }, 'Storage'),
        '\'NetworkPeer.pods(namespace)\' must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit) of at most 63 characters, got \'Storage\''],
      [() => NetworkPeer.namespace(''),
        '\'NetworkPeer.namespace(name)\' must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit) of at most 63 characters, got \'\''],
      [() => NetworkPeer.ipBlock('10.0.0.0/33'), '\'NetworkPeer.ipBlock(cidr)\' must be an IPv4 or IPv6 CIDR block such as 10.0.0.0/16, got \'10.0.0.0/33\''],
      [() => NetworkPeer.ipBlock('10.0.0.0/8', ['10.1.0.0']), '\'NetworkPeer.ipBlock(except[0])\' must be an IPv4 or IPv6 CIDR block such as 10.0.0.0/16, got \'10.1.0.0\''],
    ])('%#', (make, message) => {
      expect(make).toThrow(new Error(message));
    });
  });
});
