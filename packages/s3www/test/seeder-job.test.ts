import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { brotliDecompressSync } from 'zlib';
import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { NetworkPeer, S3www, SeedOptions } from '../src';
import { SEEDER } from './support/run-seeder';
import { MINIO_BACKEND, podSpec, synth } from './support/synth';
import { freePort } from '../../../tools/testing/moto';

const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SOURCES = [
  { url: 'https://downloads.example.com/site/index.html' },
  { url: 'http://mirror.example.net:8080/data.bin?version=2', key: 'blobs/data.bin', sha256: SHA, contentType: 'application/octet-stream' },
];
const PROGRAM_VOLUME = { name: 'program', projected: { defaultMode: 0o444, sources: [{ configMap: { name: 'web-seeder-0' } }, { configMap: { name: 'web-seeder-1' } }, { configMap: { name: 'web-seeder-2' } }] } };
const SEEDER_LABELS = { 'app.kubernetes.io/name': 's3www', 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/component': 'seeder' };

function seeded(seed: Partial<SeedOptions> = {}, props: Parameters<typeof synth>[0] = {}) {
  return synth({ ...props, seed: { sources: SOURCES, ...seed } });
}

function env(job: Record<string, any>): Record<string, string> {
  return Object.fromEntries(podSpec(job).containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
}

describe('the seeder Job', () => {
  const result = seeded();
  const job = result.one('Job');
  const container = podSpec(job).containers[0];

  const configMaps = result.objects.filter((o) => o.kind === 'ConfigMap');

  test('adds ConfigMaps, a ServiceAccount, a Job and a NetworkPolicy of its own', () => {
    expect(result.kinds()).toEqual(['ConfigMap', 'ConfigMap', 'ConfigMap', 'Deployment', 'Job', 'NetworkPolicy', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'ServiceAccount']);
    expect(result.s3www.seederServiceAccountName).toBe('web-seeder');
  });

  test('the ConfigMaps carry the loader and the compressed seeder in parts that add up to the bundle, byte for byte', () => {
    expect(configMaps.map((c) => c.metadata.name)).toEqual(['web-seeder-0', 'web-seeder-1', 'web-seeder-2']);
    expect(configMaps.map((c) => Object.keys(c.data ?? {}))).toEqual([['load.js'], [], []]);
    expect(configMaps.map((c) => Object.keys(c.binaryData))).toEqual([['program.br.0'], ['program.br.1'], ['program.br.2']]);
    const parts = configMaps.map((c, i) => Buffer.from(c.binaryData[`program.br.${i}`], 'base64'));
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThanOrEqual(48 * 1024);
    expect(brotliDecompressSync(Buffer.concat(parts)).equals(readFileSync(SEEDER))).toBe(true);
    expect(configMaps[0].data['load.js']).toBe(readFileSync(join(dirname(SEEDER), 'load.js'), 'utf8'));
  });

  test('the files the Job mounts run the bundled seeder, and a missing part stops it with INTERNAL (4)', () => {
    const mount = mkdtempSync(join(tmpdir(), 'seeder-mount-'));
    try {
      writeFileSync(join(mount, 'load.js'), configMaps[0].data['load.js']);
      configMaps.forEach((c, i) => writeFileSync(join(mount, `program.br.${i}`), Buffer.from(c.binaryData[`program.br.${i}`], 'base64')));
      const run = () => spawnSync(process.execPath, [...container.command.slice(1, -1), join(mount, 'load.js')], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      // With no environment the program itself answers: a configuration error, exit code 2.
      const complete = run();
      expect(complete.stderr).toBe('seeder: S3_BUCKET must be set to the bucket to seed\n');
      expect(complete.status).toBe(2);
      rmSync(join(mount, 'program.br.1'));
      const missing = run();
      expect(missing.stderr).toMatch(/^seeder: cannot load the program: /);
      expect(missing.status).toBe(4);
    } finally {
      rmSync(mount, { recursive: true, force: true });
    }
  });

  test('runs it with the pinned official Node.js image as UID 1000', () => {
    expect(container.image).toBe('node:22.23.3-alpine');
    expect(S3www.DEFAULT_SEEDER_IMAGE).toBe('node:22.23.3-alpine');
    expect(container.command).toEqual(['node', '--max-semi-space-size=1', '--expose-gc', '--single-threaded-gc', '/seeder/load.js']);
    expect(podSpec(job).securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, runAsNonRoot: true });
    expect(container.securityContext).toMatchObject({ runAsUser: 1000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } });
  });

  test('configures it through the environment of the contract, keys as files', () => {
    expect(env(job)).toEqual({
      S3_ENDPOINT: 'http://minio.storage.svc.cluster.local:9000',
      S3_BUCKET: 'site',
      AWS_REGION: 'us-east-1',
      SEED_SOURCES: JSON.stringify([
        { url: 'https://downloads.example.com/site/index.html', key: 'index.html' },
        { url: 'http://mirror.example.net:8080/data.bin?version=2', key: 'blobs/data.bin', sha256: SHA, contentType: 'application/octet-stream' },
      ]),
      S3_ACCESS_KEY_FILE: '/etc/s3www/credentials/accessKey',
      S3_SECRET_KEY_FILE: '/etc/s3www/credentials/secretKey',
    });
    expect(container.volumeMounts).toEqual([
      { name: 'program', mountPath: '/seeder', readOnly: true },
      { name: 'credentials', mountPath: '/etc/s3www/credentials', readOnly: true },
    ]);
    expect(podSpec(job).volumes[0]).toEqual(PROGRAM_VOLUME);
    expect(podSpec(job).volumes[1].secret.secretName).toBe('minio-site');
  });

  test('bounds retries, run time and lifetime, and fails at once on a configuration error', () => {
    expect(job.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 86400 });
    expect(job.spec.podFailurePolicy).toEqual({ rules: [{ action: 'FailJob', onExitCodes: { containerName: 'seeder', operator: 'In', values: [2] } }] });
    expect(podSpec(job)).toMatchObject({ restartPolicy: 'Never', automountServiceAccountToken: false, serviceAccountName: 'web-seeder' });
    expect(job.spec.template.metadata.labels).toEqual(SEEDER_LABELS);
  });

  test('its name carries a hash of its configuration', () => {
    expect(job.metadata.name).toMatch(/^web-seed-[0-9a-f]{10}$/);
    expect(result.s3www.seedJobName).toBe(job.metadata.name);
    expect(seeded().one('Job').metadata.name).toBe(job.metadata.name);
    expect(synth({ seed: { sources: [SOURCES[0]] } }).one('Job').metadata.name).not.toBe(job.metadata.name);
    expect(seeded({ image: 'node:22.11.0-alpine3.20' }).one('Job').metadata.name).not.toBe(job.metadata.name);
  });

  test('its NetworkPolicy admits nothing and lets out DNS, the backend, and the source ports', () => {
    const policy = result.one('NetworkPolicy', '-seeder');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: SEEDER_LABELS },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        expect.objectContaining({ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }),
        { to: [expect.objectContaining({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'minio' } } })], ports: [{ protocol: 'TCP', port: 9000 }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 8080 }] },
      ],
    });
  });

  test('the environment it gets is accepted by the seeder program itself', async () => {
    // GIVEN the Job's environment, with a backend address where nothing listens
    const port = await freePort();
    const vars = { ...env(job), S3_ENDPOINT: `http://localhost:${port}`, S3_ACCESS_KEY_FILE: SEEDER, S3_SECRET_KEY_FILE: SEEDER, SEED_BACKEND_TIMEOUT_SECONDS: '1' };
    // WHEN
    let status: number | undefined;
    try {
      execFileSync(process.execPath, [SEEDER], { env: { PATH: process.env.PATH, ...vars }, stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
    }
    // THEN it got past the configuration (exit 2) to the backend (exit 3)
    expect(status).toBe(3);
  });

  test('run by the mounted loader with the Job\'s flags, the program reaches the network', async () => {
    // GIVEN the mounted files, the Job's environment and a backend address where nothing listens
    const mount = mkdtempSync(join(tmpdir(), 'seeder-mount-'));
    const port = await freePort();
    try {
      writeFileSync(join(mount, 'load.js'), configMaps[0].data['load.js']);
      configMaps.forEach((c, i) => writeFileSync(join(mount, `program.br.${i}`), Buffer.from(c.binaryData[`program.br.${i}`], 'base64')));
      writeFileSync(join(mount, 'accessKey'), 'loader-test');
      writeFileSync(join(mount, 'secretKey'), 'loader-test-secret');
      const keys = { S3_ACCESS_KEY_FILE: join(mount, 'accessKey'), S3_SECRET_KEY_FILE: join(mount, 'secretKey') };
      const vars = { ...env(job), ...keys, S3_ENDPOINT: `http://127.0.0.1:${port}`, SEED_BACKEND_TIMEOUT_SECONDS: '1' };
      // WHEN
      const run = spawnSync(process.execPath, [...container.command.slice(1, -1), join(mount, 'load.js')], { encoding: 'utf8', env: { PATH: process.env.PATH, ...vars } });
      // THEN the request left the process and was refused: the SDK's dynamic import() of node:http
      // works in code the loader compiles (it failed with "A dynamic import callback was not specified")
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    } finally {
      rmSync(mount, { recursive: true, force: true });
    }
  });
});

describe('seeder options', () => {
  test('keys default to the decoded file name, or the raw one when it does not decode', () => {
    const result = synth({ seed: { sources: [{ url: 'https://example.com/files/hello%20world.txt' }, { url: 'https://example.com/files/100%25%zz.txt' }] } });
    expect(JSON.parse(env(result.one('Job')).SEED_SOURCES).map((s: { key: string }) => s.key)).toEqual(['hello world.txt', '100%25%zz.txt']);
  });

  test('image, resources, backoff, deadline, TTL and source peers', () => {
    const result = seeded({
      image: 'public.ecr.aws/docker/library/node:22.23.3-alpine',
      resources: { cpu: { request: Cpu.millis(200), limit: Cpu.millis(500) }, memory: { request: Size.mebibytes(192), limit: Size.mebibytes(192) } },
      backoffLimit: 1,
      activeDeadline: Duration.minutes(5),
      ttlAfterFinished: Duration.hours(1),
      sourcePeers: [NetworkPeer.ipBlock('192.0.2.0/24')],
    });
    const job = result.one('Job');
    expect(podSpec(job).containers[0].image).toBe('public.ecr.aws/docker/library/node:22.23.3-alpine');
    expect(podSpec(job).containers[0].resources).toEqual({ requests: { cpu: '200m', memory: '192Mi' }, limits: { cpu: '500m', memory: '192Mi' } });
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 3600 });
    expect(result.one('NetworkPolicy', '-seeder').spec.egress[2].to).toEqual([{ ipBlock: { cidr: '192.0.2.0/24' } }]);
  });

  test('with workload identity: no endpoint, no key files, an annotated ServiceAccount of its own', () => {
    const result = seeded({}, {
      backend: { bucket: 'my-site', region: 'eu-central-1', workloadIdentity: { seederAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/seed' } } },
    });
    const job = result.one('Job');
    expect(Object.keys(env(job))).toEqual(['S3_BUCKET', 'AWS_REGION', 'SEED_SOURCES']);
    expect(env(job).AWS_REGION).toBe('eu-central-1');
    expect(podSpec(job).volumes).toEqual([PROGRAM_VOLUME]);
    expect(result.one('ServiceAccount', '-seeder').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/seed' });
    expect(result.one('ServiceAccount', 'web').metadata.annotations).toBeUndefined();
  });
});

describe('validation', () => {
  test.each([
    ['no sources', { sources: [] }, '\'seed.sources\' must hold at least one source, got []'],
    ['non-http URL', { sources: [{ url: 'ftp://files.example.com/a.txt' }] }, '\'seed.sources[0].url\' must be an http:// or https:// URL, got \'ftp://files.example.com/a.txt\''],
    ['not a URL', { sources: [{ url: 'index.html' }] }, '\'seed.sources[0].url\' must be an http:// or https:// URL, got \'index.html\''],
    ['no file name', { sources: [{ url: 'https://example.com/' }] }, '\'seed.sources[0].key\' must be set: the URL has no file name to use, got undefined'],
    ['key with leading slash', { sources: [{ url: 'https://example.com/a', key: '/a' }] }, '\'seed.sources[0].key\' must not start with \'/\', got \'/a\''],
    ['duplicate key', { sources: [{ url: 'https://a.example.com/x.txt' }, { url: 'https://b.example.com/x.txt' }] },
      '\'seed.sources[1].key\' must be unique, but \'seed.sources[0]\' has the same key, got \'x.txt\''],
    ['upper-case sha256', { sources: [{ url: 'https://example.com/a', sha256: SHA.toUpperCase() }] },
      `'seed.sources[0].sha256' must be 64 lower-case hexadecimal characters, got '${SHA.toUpperCase()}'`],
    ['empty key', { sources: [{ url: 'https://example.com/a', key: '' }] }, '\'seed.sources[0].key\' must not be empty, got \'\''],
    ['key too long', { sources: [{ url: 'https://example.com/a', key: 'k'.repeat(1025) }] }, `'seed.sources[0].key' must be at most 1024 bytes, got '${'k'.repeat(1025)}'`],
    ['content type', { sources: [{ url: 'https://example.com/a', contentType: 'html' }] }, '\'seed.sources[0].contentType\' must be a media type such as text/html, got \'html\''],
    ['image', { image: 'node' }, '\'seed.image\' must be pinned to a tag other than latest, or to a digest (e.g. repository:1.2.3), got \'node\''],
    ['backoff limit', { backoffLimit: -1 }, '\'seed.backoffLimit\' must be a whole number between 0 and 100, got -1'],
    ['deadline', { activeDeadline: Duration.millis(0) }, '\'seed.activeDeadline\' must be a whole number between 1 and 604800, got 0'],
    ['memory', { resources: { memory: { request: Size.mebibytes(512) } } }, '\'seed.resources.memory.request\' must not exceed \'seed.resources.memory.limit\' (256Mi), got \'512Mi\''],
  ])('%s', (_case, seed, message) => {
    expect(() => synth({ seed: { sources: SOURCES, ...seed } as SeedOptions })).toThrow(new Error(message));
  });

  test('a backend given without credentials mode is still refused before the seeder', () => {
    expect(() => synth({ backend: { ...MINIO_BACKEND, credentials: undefined }, seed: { sources: SOURCES } })).toThrow(/'backend' needs 'credentials'/);
  });
});
