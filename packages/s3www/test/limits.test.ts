import { Chart } from 'cdk8s';
import { NetworkPolicyIpBlock, Pods } from 'cdk8s-plus-33';
import { Seeder } from '../src';
import { MINIO_BACKEND, synth } from './support/synth';
import { expectWithinLimits, objectSizes } from '../../../tools/testing/limits';

/**
 * The largest configuration this library emits (a seeder with many sources, autoscaling, Ingress,
 * CORS, monitoring), measured as kubectl sends each object: with its last-applied copy. The seeder
 * program travels in ConfigMaps, the largest objects. tools/testing/limits.ts says where each limit
 * comes from.
 */
describe('size limits', () => {
  test('every object of the largest configuration, as kubectl sends it, stays within 200 KiB', () => {
    // GIVEN / WHEN
    const { objects } = synth((chart: Chart) => ({
      autoscaling: { minReplicas: 2, maxReplicas: 20 },
      ingress: { healthCheckPath: '/' },
      cors: { allowedOrigins: ['https://app.example.com'] },
      monitoring: {
        seeder: new Seeder(chart, 'Seeder', {
          name: 'web-seed',
          backend: MINIO_BACKEND,
          sources: Array.from({ length: 50 }, (_, i) => ({ url: `https://downloads.example.com/site/assets/file-${i}.bin`, sha256: 'a'.repeat(64) })),
          sourcePeers: [NetworkPolicyIpBlock.ipv4(chart, 'Downloads', '203.0.113.0/24')],
        }),
      },
    }), {
      namespace: 'site',
      after: (site) => {
        site.allowFrom(Pods.select(site, 'Clients', { labels: { app: 'clients' } }));
        site.allowFrom(NetworkPolicyIpBlock.ipv4(site, 'Vpc', '10.0.0.0/16'));
      },
    });
    // THEN
    expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('web-seed-')).length).toBeGreaterThan(1);
    expectWithinLimits(objectSizes(objects));
  });
});
