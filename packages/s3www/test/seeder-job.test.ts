import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { brotliDecompressSync } from 'zlib';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, ImagePullPolicy, NetworkPolicyIpBlock, NetworkPolicyPort, Pods } from 'cdk8s-plus-33';
import { Seeder, SeederProps } from '../src';
import { SEEDER } from './support/run-seeder';
import { MINIO_BACKEND, podSpec, synthSeeder, validationError } from './support/synth';
import { freePort } from '../../../tools/testing/moto';
import { strykerChild } from '../../../tools/testing/stryker-child';

const SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const SOURCES = [
  { url: 'https://downloads.example.com/site/index.html' },
  { url: 'http://mirror.example.net:8080/data.bin?version=2', key: 'blobs/data.bin', sha256: SHA, contentType: 'application/octet-stream' },
];
const PROGRAM_VOLUME = { name: 'program', projected: { defaultMode: 0o444, sources: [{ configMap: { name: 'seed-0' } }, { configMap: { name: 'seed-1' } }, { configMap: { name: 'seed-2' } }] } };
const SEEDER_LABELS = { 'app.kubernetes.io/name': 's3www', 'app.kubernetes.io/instance': 'seed', 'app.kubernetes.io/component': 'seeder' };

function seeded(props: Partial<SeederProps> = {}, options: Parameters<typeof synthSeeder>[1] = {}) {
  return synthSeeder({ sources: SOURCES, ...props }, options);
}

function env(job: Record<string, any>): Record<string, string> {
  return Object.fromEntries(podSpec(job).containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
}

describe('the seeder Job', () => {
  const result = seeded();
  const job = result.one('Job');
  const container = podSpec(job).containers[0];

  const configMaps = result.objects.filter((o) => o.kind === 'ConfigMap');

  test('is ConfigMaps, a ServiceAccount, a Job and a NetworkPolicy, and needs no web tier', () => {
    expect(result.kinds()).toEqual(['ConfigMap', 'ConfigMap', 'ConfigMap', 'Job', 'NetworkPolicy', 'ServiceAccount']);
    expect(result.seeder.serviceAccountName).toBe('seed');
    expect(result.seeder.selectorLabels).toEqual(SEEDER_LABELS);
    expect(result.seeder.networkPolicy.name).toBe('seed');
    expect(result.seeder.job.kind).toBe('Job');
  });

  test('the ConfigMaps carry the loader and the compressed seeder in parts that add up to the bundle, byte for byte', () => {
    expect(configMaps.map((c) => c.metadata.name)).toEqual(['seed-0', 'seed-1', 'seed-2']);
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
      const run = () => {
        const stryker = strykerChild();
        const loaded = spawnSync(process.execPath, [...container.command.slice(1, -1), join(mount, 'load.js')], { encoding: 'utf8', env: { PATH: process.env.PATH, ...stryker.env } });
        stryker.done();
        return loaded;
      };
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
    expect(container.imagePullPolicy).toBe('IfNotPresent');
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
    expect(podSpec(job)).toMatchObject({ restartPolicy: 'Never', automountServiceAccountToken: false, enableServiceLinks: false, serviceAccountName: 'seed' });
    expect(job.spec.template.metadata.labels).toEqual(SEEDER_LABELS);
  });

  test('its name carries a hash of its configuration', () => {
    expect(job.metadata.name).toMatch(/^seed-[0-9a-f]{10}$/);
    expect(result.seeder.jobName).toBe(job.metadata.name);
    expect(seeded().one('Job').metadata.name).toBe(job.metadata.name);
    expect(seeded({ sources: [SOURCES[0]] }).one('Job').metadata.name).not.toBe(job.metadata.name);
    expect(seeded({ image: { tag: '22.11.0-alpine3.20' } }).one('Job').metadata.name).not.toBe(job.metadata.name);
  });

  test('its NetworkPolicy admits nothing and lets out DNS and the source ports (the backend admits it and lets it out there)', () => {
    const policy = result.one('NetworkPolicy');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: SEEDER_LABELS },
      policyTypes: ['Egress', 'Ingress'],
      egress: [
        expect.objectContaining({ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }),
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
    const stryker = strykerChild();
    try {
      execFileSync(process.execPath, [SEEDER], { env: { PATH: process.env.PATH, ...vars, ...stryker.env }, stdio: 'pipe' });
    } catch (err) {
      status = (err as { status: number }).status;
    }
    stryker.done();
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
      const stryker = strykerChild();
      const run = spawnSync(process.execPath, [...container.command.slice(1, -1), join(mount, 'load.js')], { encoding: 'utf8', env: { PATH: process.env.PATH, ...vars, ...stryker.env } });
      stryker.done();
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
    const result = seeded({ sources: [{ url: 'https://example.com/files/hello%20world.txt' }, { url: 'https://example.com/files/100%25%zz.txt' }] });
    expect(JSON.parse(env(result.one('Job')).SEED_SOURCES).map((s: { key: string }) => s.key)).toEqual(['hello world.txt', '100%25%zz.txt']);
  });

  test('image, resources (ephemeral storage included), backoff, deadline, TTL, namespace and source peers', () => {
    const chart = Testing.chart();
    const result = seeded({
      namespace: 'content',
      image: { repository: 'public.ecr.aws/docker/library/node', pullPolicy: ImagePullPolicy.ALWAYS },
      resources: {
        cpu: { request: Cpu.millis(200), limit: Cpu.millis(500) },
        memory: { request: Size.mebibytes(192), limit: Size.mebibytes(192) },
        ephemeralStorage: { limit: Size.mebibytes(32) },
      },
      backoffLimit: 1,
      activeDeadline: Duration.minutes(5),
      ttlAfterFinished: Duration.hours(1),
      sourcePeers: [NetworkPolicyIpBlock.ipv4(chart, 'Mirror', '192.0.2.0/24'), Pods.select(chart, 'Proxy', { labels: { app: 'proxy' } })],
    });
    const job = result.one('Job');
    expect(podSpec(job).containers[0].image).toBe('public.ecr.aws/docker/library/node:22.23.3-alpine');
    expect(podSpec(job).containers[0].imagePullPolicy).toBe('Always');
    expect(podSpec(job).containers[0].resources).toEqual({
      requests: { cpu: '200m', memory: '192Mi' }, limits: { 'cpu': '500m', 'memory': '192Mi', 'ephemeral-storage': '32Mi' },
    });
    expect(job.spec).toMatchObject({ backoffLimit: 1, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 3600 });
    expect(result.objects.map((o) => o.metadata.namespace)).toEqual(result.objects.map(() => 'content'));
    expect(result.one('NetworkPolicy').spec.egress.slice(1).map((r: Record<string, any>) => r.to)).toEqual([
      [{ ipBlock: { cidr: '192.0.2.0/24' } }], [{ podSelector: { matchLabels: { app: 'proxy' } } }],
    ]);
  });

  test('AWS S3 with workload identity: no endpoint, no key files, an annotated ServiceAccount, out to any IPv4 address on 443', () => {
    const result = seeded({
      backend: { bucket: 'my-site', region: 'eu-central-1', workloadIdentity: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/seed' } } },
    }, { admitted: false });
    const job = result.one('Job');
    expect(Object.keys(env(job))).toEqual(['S3_BUCKET', 'AWS_REGION', 'SEED_SOURCES']);
    expect(env(job).AWS_REGION).toBe('eu-central-1');
    expect(podSpec(job).volumes).toEqual([PROGRAM_VOLUME]);
    expect(result.one('ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/seed' });
    expect(result.one('NetworkPolicy').spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
  });

  test('a derived name, and the chart\'s namespace', () => {
    const chart = new Chart(Testing.app(), 'content', { namespace: 'content' });
    const seeder = new Seeder(chart, 'Seeder', { backend: { bucket: 'b-site', workloadIdentity: {} }, sources: SOURCES });
    expect(seeder.name).toMatch(/^content-seeder-c8[0-9a-f]{6}$/);
    expect(seeder.namespace).toBe('content');
  });
});

describe('connections', () => {
  test('is a pod selector and network peer of its pods, in its namespace', () => {
    const result = seeded({ namespace: 'content' });
    expect(result.seeder.toPodSelectorConfig().namespaces?.names).toEqual(['content']);
    expect(result.seeder.toNetworkPolicyPeerConfig().podSelector).toBeDefined();
    expect(result.seeder.toPodSelector()).toBe(result.seeder);
    expect(seeded().seeder.toPodSelectorConfig().namespaces).toBeUndefined();
  });

  test('allowTo a backend of another kind: its egress policy and the backend\'s ingress policy, once per peer', () => {
    const result = seeded({ namespace: 'content' }, {
      admitted: false,
      after: (seeder) => {
        const backend = Pods.select(Chart.of(seeder), 'Backend', { labels: { app: 'garage' } });
        const policy = seeder.allowTo(backend, { ports: [NetworkPolicyPort.tcp(9000)] });
        expect(seeder.allowTo(backend, { ports: [NetworkPolicyPort.tcp(9000)] })).toBe(policy);
      },
    });
    const policies = result.objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('seed-to-'));
    expect(policies.map((p) => [p.spec.podSelector.matchLabels, p.spec.policyTypes])).toEqual([[SEEDER_LABELS, ['Egress']], [{ app: 'garage' }, ['Ingress']]]);
  });
});

describe('synth-time checks', () => {
  test('a backend endpoint nothing lets the pods reach fails', () => {
    expect(() => seeded({}, { admitted: false })).toThrow(validationError('test/Seeder', "'backend.endpoint' (http://minio.storage.svc.cluster.local:9000) is out of reach: "
      + "no NetworkPolicy lets the pods of seeder 'seed' out to port 9000; admit them on the backend (with @s3www-eks/minio: minio.allowFrom(...)) or call allowTo() with the backend's pods and port"));
  });
});

describe('validation', () => {
  test.each([
    ['no sources', { sources: [] }, '\'sources\' must hold at least one source, got []'],
    ['non-http URL', { sources: [{ url: 'ftp://files.example.com/a.txt' }] }, '\'sources[0].url\' must be an http:// or https:// URL, got \'ftp://files.example.com/a.txt\''],
    ['not a URL', { sources: [{ url: 'index.html' }] }, '\'sources[0].url\' must be an http:// or https:// URL, got \'index.html\''],
    ['no file name', { sources: [{ url: 'https://example.com/' }] }, '\'sources[0].key\' must be set: the URL has no file name to use, got undefined'],
    ['key with leading slash', { sources: [{ url: 'https://example.com/a', key: '/a' }] }, '\'sources[0].key\' must not start with \'/\', got \'/a\''],
    ['duplicate key', { sources: [{ url: 'https://a.example.com/x.txt' }, { url: 'https://b.example.com/x.txt' }] },
      '\'sources[1].key\' must be unique, but \'sources[0]\' has the same key, got \'x.txt\''],
    ['upper-case sha256', { sources: [{ url: 'https://example.com/a', sha256: SHA.toUpperCase() }] },
      `'sources[0].sha256' must be 64 lower-case hexadecimal characters, got '${SHA.toUpperCase()}'`],
    ['empty key', { sources: [{ url: 'https://example.com/a', key: '' }] }, '\'sources[0].key\' must not be empty, got \'\''],
    ['key too long', { sources: [{ url: 'https://example.com/a', key: 'k'.repeat(1025) }] }, `'sources[0].key' must be at most 1024 bytes, got '${'k'.repeat(1025)}'`],
    ['content type', { sources: [{ url: 'https://example.com/a', contentType: 'html' }] }, '\'sources[0].contentType\' must be a media type such as text/html, got \'html\''],
    ['image', { image: { tag: 'latest' } }, '\'image.tag\' must be a fixed image tag (letters, digits, \'_\', \'.\', \'-\'; not latest), got \'latest\''],
    ['backoff limit', { backoffLimit: -1 }, '\'backoffLimit\' must be a whole number between 0 and 100, got -1'],
    ['deadline', { activeDeadline: Duration.millis(0) }, '\'activeDeadline\' must be a whole number between 1 and 604800, got 0'],
    ['memory', { resources: { memory: { request: Size.mebibytes(512) } } }, '\'resources.memory.request\' must not exceed \'resources.memory.limit\' (256Mi), got \'512Mi\''],
    ['name', { name: 'Seed' }, '\'name\' must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit) of at most 40 characters, got \'Seed\''],
    ['namespace', { namespace: 'a_b' }, '\'namespace\' must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit) of at most 63 characters, got \'a_b\''],
  ])('%s', (_case, props, message) => {
    expect(() => seeded(props as Partial<SeederProps>)).toThrow(new Error(message));
  });

  test('a backend given without credentials mode is refused', () => {
    expect(() => seeded({ backend: { ...MINIO_BACKEND, credentials: undefined } })).toThrow(/'backend' needs 'credentials'/);
  });
});
