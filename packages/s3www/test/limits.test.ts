import { MINIO, synth } from './support/synth';
import { expectWithinLimits, objectSizes } from '../../../tools/testing/limits';
import { NetworkPeer } from '../src';

/**
 * The largest configuration this library emits (seeder with many sources, autoscaling, Ingress,
 * CORS, monitoring), measured as kubectl sends each object: with its last-applied copy. The seeder
 * program travels in ConfigMaps, the largest objects. tools/testing/limits.ts says where each limit
 * comes from.
 */
describe('size limits', () => {
  test('every object of the largest configuration, as kubectl sends it, stays within 200 KiB', () => {
    // GIVEN / WHEN
    const { objects } = synth({
      seed: {
        sources: Array.from({ length: 50 }, (_, i) => ({ url: `https://downloads.example.com/site/assets/file-${i}.bin`, sha256: 'a'.repeat(64) })),
        sourcePeers: [NetworkPeer.ipBlock('203.0.113.0/24')],
      },
      autoscaling: { minReplicas: 2, maxReplicas: 20 },
      ingress: { healthCheckPath: '/' },
      cors: { allowedOrigins: ['https://app.example.com'] },
      allowFrom: [MINIO, NetworkPeer.ipBlock('10.0.0.0/16')],
      monitoring: {},
    }, { namespace: 'site' });
    // THEN
    expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('web-seeder-')).length).toBeGreaterThan(1);
    expectWithinLimits(objectSizes(objects));
  });
});
