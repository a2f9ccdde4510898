/**
 * Upgrade emulation against a real Kubernetes API server, for every environment: the environment as
 * committed is created through the real kubectl handler (as in cluster-deploy.test.ts), then the
 * same environment synthesized with realistic changes goes through CloudFormation's update: every
 * kubectl custom resource whose properties changed gets an Update event with the old and the new
 * properties, and the handler runs `kubectl apply --prune -l <PruneLabel>`.
 *
 * The changes: more s3www replicas (the HPA's bounds where it scales) and larger requests and limits,
 * a second file in the seed list, and the next releases of the libraries, emulated: the MinIO library
 * pins a newer MinIO server image, the s3www library ships a rebuilt seeder program.
 *
 * No controller-manager runs, so the StatefulSet controller's volume claims are created here as it
 * names and labels them, so that a prune that reached them would show.
 */
import { createHash } from 'crypto';
import { mkdtempSync, PathOrFileDescriptor, rmSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { brotliCompressSync, constants } from 'zlib';
import { MINIO_IMAGE } from '@s3www-eks/minio/lib/image';
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { handle, kubectlCommands, stackOf, startClusterWithCrds, Step, stepProblems } from './deploy-support';
import { KubernetesServer } from '../../../tools/testing/kube-apiserver';
import { customResourceEvent, KubectlHandler, KUBECTL_TYPES, kubectlResources, TemplateResource } from '../../../tools/testing/kubectl-provider';
import { ASYNC_PAYLOAD_LIMIT_BYTES } from '../../../tools/testing/limits';
import { EnvironmentConfig, EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { synthesizeEnvironment, SynthesizedEnvironment } from '../src/synthesis';

type Json = Record<string, any>;

let server: KubernetesServer;
let handler: KubectlHandler;
const base = mkdtempSync(join(tmpdir(), 'cluster-upgrade-'));

beforeAll(async () => {
  ({ server } = await startClusterWithCrds());
  handler = new KubectlHandler(server);
});

afterAll(async () => {
  await server?.stop();
  rmSync(base, { recursive: true, force: true });
});

/** The environment with the changes an operator makes between two deploys. */
function changed(config: EnvironmentConfig): EnvironmentConfig {
  return {
    ...config,
    s3www: {
      ...config.s3www,
      replicas: config.s3www.replicas && config.s3www.replicas + 1,
      autoscaling: config.s3www.autoscaling && {
        ...config.s3www.autoscaling,
        minReplicas: config.s3www.autoscaling.minReplicas + 1,
        maxReplicas: config.s3www.autoscaling.maxReplicas + 2,
      },
      resources: {
        cpu: { request: Cpu.millis(300), limit: Cpu.millis(1500) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
    },
    seeder: { sources: [...config.seeder.sources, { url: 'https://www.example.com/index.html', key: 'index.html' }] },
  };
}

/** Kinds whose objects must keep their identity (uid) through an upgrade: data, addresses, identities. */
const KEPT_KINDS = 'statefulsets,persistentvolumeclaims,services,serviceaccounts,secrets,configmaps';

/** The next MinIO server release the MinIO library would pin. */
const NEXT_MINIO = { tag: 'RELEASE.2025-10-15T17-29-55Z', digest: `sha256:${createHash('sha256').update('next minio release').digest('hex')}` };

/**
 * Synthesizes with the next library releases: MinIO's pinned image replaced, and the seeder program
 * the s3www library reads from its assets rebuilt (one more line, so a new hash and new parts),
 * with the loader's checksum of it, as the seeder build would write them.
 */
function synthesizeNextRelease(name: EnvironmentName, folders: { cdkOut: string; manifests: string }): SynthesizedEnvironment {
  const assets = join(dirname(require.resolve('@s3www-eks/s3www/package.json')), 'assets', 'seeder');
  // The library's compiled code calls fs.readFileSync through the module object: replace it there.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as { readFileSync: (...args: any[]) => any };
  const realRead = fs.readFileSync;
  const current = realRead(join(assets, 'index.js'));
  const next = Buffer.concat([current, Buffer.from('\n// next release\n')]);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const loader = realRead(join(assets, 'load.js'), 'utf8');
  if (!loader.includes(sha(current))) throw new Error('the seeder loader does not hold the SHA-256 of assets/seeder/index.js: the emulation no longer matches the seeder build');
  const nextLoader = loader.split(sha(current)).join(sha(next));
  const nextProgram = brotliCompressSync(next, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: next.length } });
  fs.readFileSync = (path: PathOrFileDescriptor, options?: any) => {
    if (path === join(assets, 'program.br')) return nextProgram;
    if (path === join(assets, 'load.js')) return typeof options === 'string' || options?.encoding ? nextLoader : Buffer.from(nextLoader);
    return realRead(path, options);
  };
  const pinned = { ...MINIO_IMAGE };
  Object.assign(MINIO_IMAGE, NEXT_MINIO);
  try {
    return synthesizeEnvironment(name, folders, changed(ENVIRONMENTS[name]));
  } finally {
    Object.assign(MINIO_IMAGE, pinned);
    fs.readFileSync = realRead;
  }
}

describe.each(Object.values(EnvironmentName))('environment %s', (name) => {
  let before: SynthesizedEnvironment;
  let after: SynthesizedEnvironment;
  let identities: Record<string, string>;
  let clusterIps: Record<string, string>;
  let claims: string[];
  let updates: Step[];
  const templateOf = (out: SynthesizedEnvironment) => out.templates[`${out.stackName}.template.json`];
  const get = (args: string[]) => JSON.parse(server.kubectlOk(['get', ...args, '-o', 'json']));
  const ns = ENVIRONMENTS[name].namespace;

  beforeAll(async () => {
    before = synthesizeEnvironment(name, { cdkOut: join(base, name, 'before', 'cdk.out'), manifests: join(base, name, 'before', 'manifests') });
    after = synthesizeNextRelease(name, { cdkOut: join(base, name, 'after', 'cdk.out'), manifests: join(base, name, 'after', 'manifests') });
    await server.reset();
  });

  test('the changed synthesis differs where an upgrade would', () => {
    const image = (out: SynthesizedEnvironment) => out.objects.find((o) => o.kind === 'StatefulSet')!.spec.template.spec.containers[0].image;
    expect(image(before)).toContain(MINIO_IMAGE.tag);
    expect(image(after)).toBe(`quay.io/minio/minio:${NEXT_MINIO.tag}@${NEXT_MINIO.digest}`);
    const seedJobs = (out: SynthesizedEnvironment) => out.objects.filter((o) => o.kind === 'Job' && o.metadata.name.startsWith('s3www-seeder-')).map((o) => o.metadata.name);
    expect(seedJobs(after)).toHaveLength(1);
    expect(seedJobs(after)).not.toEqual(seedJobs(before));
    const program = (out: SynthesizedEnvironment) => out.objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('s3www-seeder-'));
    expect(program(after).map((c) => c.binaryData)).not.toEqual(program(before).map((c) => c.binaryData));
  });

  test('the environment as committed is created, and the StatefulSet controller\'s claims exist', async () => {
    const steps = kubectlResources(templateOf(before)).map((r) => handle(handler, 'Create', r, templateOf(before), stackOf(name)));
    expect(stepProblems(steps)).toEqual([]);
    // what the StatefulSet controller would create: <claim template>-<set>-<ordinal>, labelled with the set's selector
    for (const sts of get(['statefulsets', '-n', ns]).items as Json[]) {
      for (let i = 0; i < sts.spec.replicas; i++) {
        for (const template of sts.spec.volumeClaimTemplates) {
          const claim = {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: `${template.metadata.name}-${sts.metadata.name}-${i}`, namespace: ns, labels: sts.spec.selector.matchLabels },
            spec: template.spec,
          };
          const res = await server.request('POST', `/api/v1/namespaces/${ns}/persistentvolumeclaims`, claim);
          expect(res.status).toBe(201);
        }
      }
    }
    claims = (get(['persistentvolumeclaims', '-n', ns]).items as Json[]).map((c) => c.metadata.name);
    expect(claims.length).toBe(ENVIRONMENTS[name].minio.topology.totalDrives);
    identities = Object.fromEntries((get([KEPT_KINDS, '-n', ns]).items as Json[])
      .map((o) => [`${o.kind} ${o.metadata.name}`, o.metadata.uid]));
    identities[`Namespace ${ns}`] = get(['namespace', ns]).metadata.uid;
    clusterIps = Object.fromEntries((get(['services', '-n', ns]).items as Json[]).map((s) => [s.metadata.name, s.spec.clusterIP]));
  });

  test('CloudFormation\'s update goes through the handler\'s apply with the prune label, accepted without a warning', () => {
    const old = new Map(kubectlResources(templateOf(before)).map((r) => [r.id, r]));
    const next = kubectlResources(templateOf(after));
    updates = [];
    for (const resource of next) {
      const previous = old.get(resource.id);
      if (!previous) {
        updates.push(handle(handler, 'Create', resource, templateOf(after), stackOf(name)));
      } else if (JSON.stringify(previous.properties) !== JSON.stringify(resource.properties)) {
        updates.push(handle(handler, 'Update', resource, templateOf(after), stackOf(name), { resource: previous, template: templateOf(before) }));
      }
    }
    expect(next.map((r) => r.id).filter((id) => !old.has(id))).toEqual([]);
    expect([...old.keys()].filter((id) => !next.some((r) => r.id === id))).toEqual([]);
    expect(stepProblems(updates)).toEqual([]);
    const applied = updates.filter((s) => s.run);
    expect(applied.map((s) => s.resource.id)).toEqual([expect.stringContaining('Workload')]);
    const command = kubectlCommands(applied[0].run!)[0];
    expect(command.slice(0, 2)).toEqual(['kubectl', 'apply']);
    expect(command).toEqual(expect.arrayContaining(['--prune', '-l', applied[0].resource.properties.PruneLabel]));
  });

  test('the update event, old and new properties, fits the asynchronous invocation payload limit with 20% margin', () => {
    const workload = kubectlResources(templateOf(after)).find((r) => r.id.includes('Workload'))!;
    const previous = kubectlResources(templateOf(before)).find((r) => r.id === workload.id) as TemplateResource;
    const event = customResourceEvent('Update', workload, templateOf(after), stackOf(name), previous, templateOf(before));
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(0.8 * ASYNC_PAYLOAD_LIMIT_BYTES);
  });

  test('the changes landed, and nothing that holds data or an address was replaced', () => {
    const sts = get(['statefulset', 'minio', '-n', ns]);
    expect(sts.spec.template.spec.containers[0].image).toContain(NEXT_MINIO.tag);
    const web = get(['deployment', 's3www', '-n', ns]);
    expect(web.spec.template.spec.containers[0].resources.limits.memory).toBe('512Mi');
    const scaling = ENVIRONMENTS[name].s3www.autoscaling;
    if (scaling) {
      expect(get(['hpa', 's3www', '-n', ns]).spec).toMatchObject({ minReplicas: scaling.minReplicas + 1, maxReplicas: scaling.maxReplicas + 2 });
    } else {
      expect(web.spec.replicas).toBe(ENVIRONMENTS[name].s3www.replicas! + 1);
    }
    const jobs = (get(['jobs', '-n', ns]).items as Json[]).map((j) => j.metadata.name).sort();
    expect(jobs).toEqual(after.objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name).sort());
    const seed = after.objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('s3www-seeder-'));
    expect(JSON.parse(seed!.spec.template.spec.containers[0].env.find((e: Json) => e.name === 'SEED_SOURCES').value)).toHaveLength(2);
    // pruned: the previous seeder Job and nothing else the previous release had
    const now = Object.fromEntries((get([KEPT_KINDS, '-n', ns]).items as Json[]).map((o) => [`${o.kind} ${o.metadata.name}`, o.metadata.uid]));
    now[`Namespace ${ns}`] = get(['namespace', ns]).metadata.uid;
    const kept = Object.keys(identities).filter((k) => !k.startsWith('ConfigMap s3www-seeder-') || now[k]);
    expect(Object.fromEntries(kept.map((k) => [k, now[k]]))).toEqual(Object.fromEntries(kept.map((k) => [k, identities[k]])));
    expect((get(['persistentvolumeclaims', '-n', ns]).items as Json[]).map((c) => c.metadata.name)).toEqual(claims);
    expect(Object.fromEntries((get(['services', '-n', ns]).items as Json[]).map((s) => [s.metadata.name, s.spec.clusterIP]))).toEqual(clusterIps);
    expect(updates.filter((s) => s.resource.type === KUBECTL_TYPES.manifest).length).toBeGreaterThan(0);
  });
});
