import { Testing } from 'cdk8s';
import { Json } from './helpers';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { NetworkIsolation } from '../src/network';

const serverLabels = { app: 'minio' };
const dns = { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };
const api = [{ protocol: 'TCP', port: 9000 }];

function policies(props: { distributed: boolean; jobLabels?: Record<string, string> }): Json[] {
  const chart = Testing.chart();
  new NetworkIsolation(chart, 'Isolation', { namePrefix: 'minio', namespace: 'storage', serverLabels, apiPort: 9000, ...props });
  const objects = Testing.synth(chart);
  expectSchemaValid(objects);
  return objects;
}

describe('network isolation', () => {
  test('a standalone server admits nothing and may only resolve names', () => {
    const [server, ...rest] = policies({ distributed: false });
    expect(rest).toEqual([]);
    expect(server.metadata).toEqual({ name: 'minio', namespace: 'storage' });
    expect(server.spec).toEqual({ podSelector: { matchLabels: serverLabels }, policyTypes: ['Ingress', 'Egress'], egress: [dns] });
  });

  test('distributed servers reach each other on the API port', () => {
    const [server] = policies({ distributed: true });
    const peers = [{ podSelector: { matchLabels: serverLabels } }];
    expect(server.spec.ingress).toEqual([{ from: peers, ports: api }]);
    expect(server.spec.egress).toEqual([dns, { to: peers, ports: api }]);
  });

  test('the bucket job reaches the API and nothing reaches the job', () => {
    const jobLabels = { app: 'minio-job' };
    const [server, job] = policies({ distributed: false, jobLabels });
    expect(server.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: jobLabels } }], ports: api }]);
    expect(job.metadata.name).toBe('minio-buckets');
    expect(job.spec).toEqual({
      podSelector: { matchLabels: jobLabels },
      policyTypes: ['Ingress', 'Egress'],
      egress: [dns, { to: [{ podSelector: { matchLabels: serverLabels } }], ports: api }],
    });
  });
});
