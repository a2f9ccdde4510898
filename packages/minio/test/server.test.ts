import { MinioTopology, PlacementPolicy } from '../src';
import { drives, placement, probes, serverArgs } from '../src/server';

const at = {
  statefulSet: 'minio',
  headlessService: 'minio-hl',
  namespace: 'storage',
  clusterDomain: 'cluster.local',
  apiPort: 9000,
  certsDir: '/home/minio/.minio/certs',
};

describe('server', () => {
  test('standalone serves its one drive', () => {
    expect(serverArgs(MinioTopology.standalone(), at)).toEqual(['server', '/export', '--address', ':9000', '--certs-dir', '/home/minio/.minio/certs']);
  });

  test.each([
    [4, 1, 'http://minio-{0...3}.minio-hl.storage.svc.cluster.local/export'],
    [2, 2, 'http://minio-{0...1}.minio-hl.storage.svc.cluster.local/export{0...1}'],
    [8, 4, 'http://minio-{0...7}.minio-hl.storage.svc.cluster.local/export{0...3}'],
  ])('%i pods × %i drives expand to %s', (replicas, drivesPerReplica, volumes) => {
    expect(serverArgs(MinioTopology.distributed({ replicas, drivesPerReplica }), at)[1]).toBe(volumes);
  });

  test('the console listens on its own port when on', () => {
    expect(serverArgs(MinioTopology.standalone(), { ...at, consolePort: 9001 })).toEqual([
      'server', '/export', '--address', ':9000', '--console-address', ':9001', '--certs-dir', '/home/minio/.minio/certs',
    ]);
  });

  test('drives match the expansion', () => {
    expect(drives(MinioTopology.standalone())).toEqual([{ name: 'export', path: '/export' }]);
    expect(drives(MinioTopology.distributed({ replicas: 2, drivesPerReplica: 3 }))).toEqual([
      { name: 'export-0', path: '/export0' }, { name: 'export-1', path: '/export1' }, { name: 'export-2', path: '/export2' },
    ]);
  });

  test('standalone has no placement rules', () => {
    expect(placement(MinioTopology.standalone(), { app: 'minio' })).toEqual({});
  });

  test('distributed placement follows the policies', () => {
    const rules = placement(MinioTopology.distributed({ replicas: 4, zoneSpread: PlacementPolicy.REQUIRED, nodeSpread: PlacementPolicy.PREFERRED }), { app: 'minio' });
    expect(rules.topologySpreadConstraints![0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(rules.affinity!.podAntiAffinity!.preferredDuringSchedulingIgnoredDuringExecution![0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
  });

  test('probes hit the health endpoints on the named port', () => {
    const p = probes('api');
    expect([p.startupProbe!.httpGet!.path, p.livenessProbe!.httpGet!.path, p.readinessProbe!.httpGet!.path])
      .toEqual(['/minio/health/live', '/minio/health/live', '/minio/health/cluster/read']);
    expect(p.readinessProbe!.httpGet!.port.value).toBe('api');
  });
});
