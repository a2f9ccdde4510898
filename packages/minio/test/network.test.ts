import { kubeDns, Workload } from '@s3www-eks/cdk8s-common';
import { Testing } from 'cdk8s';
import { LabelSelector, NetworkPolicyPeerConfig, PodSelectorConfig } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Json } from './helpers';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { NetworkIsolation } from '../src/network';

const serverLabels = { app: 'minio' };
const inStorage = { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } };
const dns = {
  to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
  ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
};
const api = [{ protocol: 'TCP', port: 9000 }];
const servers = [{ podSelector: { matchLabels: serverLabels }, namespaceSelector: inStorage }];

/** The server pods, as the Minio construct selects them. */
class Servers extends Construct implements Workload {
  public readonly name = 'minio';
  public toPodSelectorConfig(): PodSelectorConfig {
    return { labelSelector: LabelSelector.of({ labels: serverLabels }), namespaces: { names: ['storage'] } };
  }
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }
  public toPodSelector(): Servers {
    return this;
  }
}

function policies(props: { distributed: boolean; jobLabels?: Record<string, string> }): Json[] {
  const chart = Testing.chart();
  const server = new Servers(chart, 'Servers');
  new NetworkIsolation(chart, 'Isolation', server, { namespace: 'storage', apiPort: 9000, dns: kubeDns(chart), ...props });
  const objects = Testing.synth(chart);
  expectSchemaValid(objects);
  return objects;
}

describe('network isolation', () => {
  test('a standalone server admits nothing and may only resolve names', () => {
    const [server, ...rest] = policies({ distributed: false });
    expect(rest).toEqual([]);
    expect(server.metadata).toEqual({ name: 'minio', namespace: 'storage' });
    expect(server.spec).toEqual({ podSelector: { matchLabels: serverLabels }, policyTypes: ['Egress', 'Ingress'], egress: [dns] });
  });

  test('distributed servers reach each other on the API port', () => {
    const [server] = policies({ distributed: true });
    expect(server.spec.ingress).toEqual([{ from: servers, ports: api }]);
    expect(server.spec.egress).toEqual([dns, { to: servers, ports: api }]);
  });

  test('the bucket job reaches the API and nothing reaches the job', () => {
    const jobLabels = { app: 'minio-job' };
    const [server, job] = policies({ distributed: false, jobLabels });
    expect(server.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: jobLabels } }], ports: api }]);
    expect(job.metadata).toEqual({ name: 'minio-buckets', namespace: 'storage' });
    expect(job.spec).toEqual({
      podSelector: { matchLabels: jobLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [dns, { to: servers, ports: api }],
    });
  });
});
