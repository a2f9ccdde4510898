import { ApiObject, Chart, Testing } from 'cdk8s';
import { NetworkPolicy, NetworkPolicyIpBlock, NetworkPolicyPort, Pods } from 'cdk8s-plus-33';
import { opens, openedPorts } from '../src';

const pods = { labels: { app: 'web', tier: 'front' }, namespace: 'site' };

describe('opened ports', () => {
  test('every policy of the app that selects the pods counts, whoever wrote it', () => {
    // GIVEN a cdk8s-plus policy, a raw object in another chart, and policies that do not apply
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const other = new Chart(app, 'other', { namespace: 'site' });
    const policy = new NetworkPolicy(chart, 'Web', { selector: Pods.select(chart, 'WebPods', { labels: { app: 'web' } }), metadata: { namespace: 'site' } });
    policy.addIngressRule(NetworkPolicyIpBlock.ipv4(chart, 'Vpc', '10.0.0.0/16'), [NetworkPolicyPort.tcp(8080)]);
    new ApiObject(other, 'Raw', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'raw' },
      spec: { podSelector: { matchLabels: { tier: 'front' } }, ingress: [{ ports: [{ port: 'http' }] }, {}] },
    });
    new ApiObject(other, 'OtherPods', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a' }, spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{}] } });
    new ApiObject(other, 'Expressions', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'b' },
      spec: { podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, ingress: [{}] },
    });
    new ApiObject(other, 'EgressOnly', {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'c' }, spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 443 }] }] },
    });
    // WHEN
    const ingress = openedPorts(policy, pods, 'Ingress');
    // THEN: the cdk8s-plus rule, the raw rule by port name, and the rule without ports (every port)
    expect(ingress).toEqual([8080, 'http', '*']);
    expect(openedPorts(policy, pods, 'Egress')).toEqual([443]);
    expect(openedPorts(policy, { ...pods, namespace: 'elsewhere' }, 'Ingress')).toEqual([]);
  });

  test('ignored policies do not count', () => {
    const chart = Testing.chart();
    const policy = new NetworkPolicy(chart, 'Web', { selector: Pods.select(chart, 'WebPods', { labels: { app: 'web' } }), metadata: { namespace: 'site' } });
    policy.addIngressRule(NetworkPolicyIpBlock.ipv4(chart, 'Vpc', '10.0.0.0/16'), [NetworkPolicyPort.tcp(8080)]);
    expect(openedPorts(chart, pods, 'Ingress', [policy])).toEqual([]);
  });

  test('opens: by number, by port name, or every port', () => {
    expect(opens([8080], 8080)).toBe(true);
    expect(opens(['http'], 8080, 'http')).toBe(true);
    expect(opens(['*'], 9000)).toBe(true);
    expect(opens([53, 'metrics'], 8080, 'http')).toBe(false);
  });
});
