import { Chart, Testing } from 'cdk8s';
import {
  Deployment, INetworkPolicyPeer, IPodSelector, LabelSelector, Namespaces, NetworkPolicyIpBlock, NetworkPolicyPeerConfig, NetworkPolicyPort,
  PodConnectionsIsolation, Pods, PodSelectorConfig,
} from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { expectError } from '../../../tools/testing/errors';
import { asPeer, connect, declareServingPorts, isolate, kubeDns, Opening, podsOf, servingPorts, Workload } from '../src';

type Json = Record<string, any>;

/** A workload as the libraries write one: a construct that selects its own pods. */
class Store extends Construct implements Workload {
  constructor(scope: Construct, id: string, public readonly name: string, private readonly namespace?: string) {
    super(scope, id);
  }
  public toPodSelectorConfig(): PodSelectorConfig {
    return { labelSelector: LabelSelector.of({ labels: { app: this.name } }), namespaces: this.namespace ? { names: [this.namespace] } : undefined };
  }
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }
  public toPodSelector(): IPodSelector {
    return this;
  }
}

const ingress = (extra: Partial<Opening> = {}): Opening => ({
  direction: 'Ingress', label: 'api', namespace: 'storage', ports: [NetworkPolicyPort.tcp(9000)], verb: 'allowFrom', ...extra,
});
const policies = (chart: Chart): Json[] => Testing.synth(chart).filter((o) => o.kind === 'NetworkPolicy');
const inStorage = { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } };
const inWeb = { matchLabels: { 'kubernetes.io/metadata.name': 'web' } };

describe('connect', () => {
  test('allowFrom writes the workload\'s ingress policy and the peer\'s egress policy, in each side\'s namespace', () => {
    // GIVEN
    const chart = Testing.chart();
    const store = new Store(chart, 'Store', 'store', 'storage');
    const client = Pods.select(chart, 'Client', { labels: { app: 'client' }, namespaces: Namespaces.select(chart, 'Web', { names: ['web'] }) });
    // WHEN
    const policy = connect(store, client, ingress());
    // THEN
    const [ours, theirs] = policies(chart);
    expect(ours.metadata).toEqual({ name: policy.name, namespace: 'storage' });
    expect(ours.metadata.name).toMatch(/^store-api-[0-9a-f]{8}$/);
    expect(ours.spec).toEqual({
      podSelector: { matchLabels: { app: 'store' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } }, namespaceSelector: inWeb }], ports: [{ port: 9000, protocol: 'TCP' }] }],
    });
    expect(theirs.metadata).toEqual({ name: `${policy.name}-egress`, namespace: 'web' });
    expect(theirs.spec).toEqual({
      podSelector: { matchLabels: { app: 'client' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'store' } }, namespaceSelector: inStorage }], ports: [{ port: 9000, protocol: 'TCP' }] }],
    });
  });

  test('calling it again for the same peer returns the same policy and writes nothing more', () => {
    const chart = Testing.chart();
    const store = new Store(chart, 'Store', 'store', 'storage');
    const client = Pods.select(chart, 'Client', { labels: { app: 'client' } });
    expect(connect(store, client, ingress())).toBe(connect(store, client, ingress()));
    expect(policies(chart)).toHaveLength(2);
  });

  test('a peer without namespaces is taken to be in the workload\'s namespace', () => {
    const chart = Testing.chart();
    connect(new Store(chart, 'Store', 'store', 'storage'), Pods.select(chart, 'Client', { labels: { app: 'client' } }), ingress());
    expect(policies(chart).map((p) => p.metadata.namespace)).toEqual(['storage', 'storage']);
  });

  test('POD isolation writes the workload\'s side only; PEER the peer\'s side only', () => {
    const chart = Testing.chart();
    const store = new Store(chart, 'Store', 'store', 'storage');
    connect(store, Pods.select(chart, 'Prometheus', { labels: { app: 'prometheus' } }), ingress({ label: 'metrics', isolation: PodConnectionsIsolation.POD }));
    const theirs = connect(store, Pods.select(chart, 'Client', { labels: { app: 'client' } }), ingress({ isolation: PodConnectionsIsolation.PEER }));
    const written = policies(chart);
    expect(written.map((p) => p.spec.podSelector.matchLabels)).toEqual([{ app: 'store' }, { app: 'client' }]);
    expect(theirs.name).toMatch(/^store-api-[0-9a-f]{8}-egress$/);
  });

  test('an IP block gets no policy of its own', () => {
    const chart = Testing.chart();
    connect(new Store(chart, 'Store', 'store', 'storage'), NetworkPolicyIpBlock.ipv4(chart, 'Vpc', '10.0.0.0/16'), ingress());
    const written = policies(chart);
    expect(written).toHaveLength(1);
    expect(written[0].spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 9000, protocol: 'TCP' }] }]);
  });

  test('allowTo writes the workload\'s egress policy and the peer\'s ingress policy; no ports allows every port', () => {
    const chart = Testing.chart();
    const store = new Store(chart, 'Store', 'seeder');
    connect(store, Pods.select(chart, 'Backend', { labels: { app: 'backend' } }), { direction: 'Egress', label: 'to', ports: [], verb: 'allowTo' });
    const [ours, theirs] = policies(chart);
    expect(ours.spec).toEqual({ podSelector: { matchLabels: { app: 'seeder' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'backend' } } }], ports: [] }] });
    expect(ours.metadata.namespace).toBeUndefined();
    expect(theirs.spec).toEqual({ podSelector: { matchLabels: { app: 'backend' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'seeder' } } }], ports: [] }] });
    expect(theirs.metadata.name).toMatch(/-ingress$/);
  });

  test('a bare pod selector (Pods.select as Java and C# see it) is admitted as its pods, under the same names', () => {
    const run = (wrap: (p: Pods) => IPodSelector | INetworkPolicyPeer) => {
      const chart = Testing.chart();
      const client = Pods.select(chart, 'Client', { labels: { app: 'client' } });
      connect(new Store(chart, 'Store', 'store', 'storage'), wrap(client), ingress());
      return policies(chart);
    };
    const bare = (p: Pods): IPodSelector => ({ node: p.node, toPodSelectorConfig: () => p.toPodSelectorConfig() } as IPodSelector);
    expect(run(bare)).toEqual(run((p) => p));
    expect(asPeer(Pods.select(Testing.chart(), 'P', {}))).toBeInstanceOf(Pods);
  });

  describe('validation', () => {
    test('a peer that selects no pods cannot get a policy of its own', () => {
      const chart = Testing.chart();
      const store = new Store(chart, 'Store', 'store', 'storage');
      const odd = {
        node: chart.node, toNetworkPolicyPeerConfig: () => ({ podSelector: store.toPodSelectorConfig() }), toPodSelector: () => undefined,
      } as unknown as INetworkPolicyPeer;
      expectError(() => connect(store, odd, ingress()),
        "allowFrom(test): the peer selects no pods, so no egress policy can be written for it; pass isolation: PodConnectionsIsolation.POD to open store's side only");
    });

    test('pods in namespaces selected by labels cannot get a policy of their own', () => {
      const chart = Testing.chart();
      const labelled = Pods.select(chart, 'Labelled', { labels: { app: 'x' }, namespaces: Namespaces.select(chart, 'Teams', { labels: { team: 'a' } }) });
      expectError(() => connect(new Store(chart, 'Store', 'store', 'storage'), labelled, ingress()),
        "allowFrom(test/Labelled): the peer's pods are in namespaces selected by labels, where no policy can be written for them; select the namespaces by name, or pass isolation: PodConnectionsIsolation.POD");
    });

    test('PEER isolation with an IP block would write nothing', () => {
      const chart = Testing.chart();
      expectError(() => connect(new Store(chart, 'Store', 'store'), NetworkPolicyIpBlock.anyIpv4(chart, 'Any'), ingress({ isolation: PodConnectionsIsolation.PEER })),
        "allowFrom(test/Any) with PodConnectionsIsolation.PEER writes only the peer's policy, and an IP block has none: use PodConnectionsIsolation.POD or leave 'isolation' out");
    });
  });
});

describe('serving ports', () => {
  test('of a workload of ours, of a cdk8s-plus workload, of anything else', () => {
    const chart = Testing.chart();
    const store = new Store(chart, 'Store', 'store');
    declareServingPorts(store, [9000]);
    const app = new Deployment(chart, 'App', { containers: [{ image: 'example/app:1.0', portNumber: 8080 }] });
    const render = (ports: NetworkPolicyPort[]) => ports.map((p) => JSON.stringify(p));
    expect(render(servingPorts(store))).toEqual(render([NetworkPolicyPort.tcp(9000)]));
    expect(render(servingPorts(app))).toEqual(render([NetworkPolicyPort.tcp(8080)]));
    expect(servingPorts(Pods.select(chart, 'Any', {}))).toEqual([]);
  });
});

describe('isolation', () => {
  test('denies everything but DNS to the cluster DNS', () => {
    const chart = Testing.chart();
    const store = new Store(chart, 'Store', 'store', 'storage');
    isolate(store, 'Isolation', { name: 'store', namespace: 'storage', dns: kubeDns(store) });
    expect(policies(chart)).toEqual([{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'store', namespace: 'storage' },
      spec: {
        podSelector: { matchLabels: { app: 'store' } },
        policyTypes: ['Egress', 'Ingress'],
        egress: [{
          to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
        }],
      },
    }]);
  });
});

describe('podsOf', () => {
  test('the labels, in a namespace by name, or in that of the selecting policy', () => {
    expect(podsOf({ app: 'x' }, 'web').namespaces).toEqual({ names: ['web'] });
    expect(podsOf({ app: 'x' }).namespaces).toBeUndefined();
    expect(podsOf({ app: 'x' }).labelSelector.isEmpty()).toBe(false);
  });
});
