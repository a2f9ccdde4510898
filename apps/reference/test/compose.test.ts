/**
 * The Docker Compose stack (src/compose.ts): Debian's docker-compose must accept it, and each
 * service must run what the data-path test runs from the same dev manifests: the same image, the
 * same command line and the same environment (Secret keys through `.env`, Secret files mounted
 * where the pod mounts them), and the seeder's program files byte for byte. No Docker engine runs
 * here, so what compose does at run time is not checked (README, "Local development").
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { ContainerRun, ContainerSpec, IMAGES, LocalStack } from '../../../tools/testing/data-path';
import { composeFor, ComposeFiles, generateCompose, secretFile, secretVariable, writeCompose } from '../src/compose';
import { EnvironmentName } from '../src/environment-config';
import { synthesizeEnvironment } from '../src/synthesis';

type Json = Record<string, any>;

let dir: string;
let stack: LocalStack;
let compose: ComposeFiles;
let config: { status: number | null; stdout: string; stderr: string };
let services: Json;
let devObjects: Json[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compose-test-'));
  const out = synthesizeEnvironment(EnvironmentName.DEV, { cdkOut: join(dir, 'cdk.out'), manifests: join(dir, 'manifests') });
  devObjects = out.objects;
  // The harness the data-path test runs, laid out but not started.
  stack = await LocalStack.create({ objects: out.objects, root: join(dir, 'stack') });
  compose = composeFor(out.objects);
  const composeDir = join(dir, 'compose');
  writeCompose(composeDir, compose);
  // What a user provides: the Secret's keys as files and, for the environment, in .env.
  const env: Record<string, string> = {};
  for (const [secret, keys] of secretKeys(out.objects)) {
    for (const key of keys) {
      const file = join(composeDir, secretFile(secret, key));
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, stack.secret(secret, key));
      env[secretVariable(secret, key)] = stack.secret(secret, key);
    }
  }
  writeFileSync(join(composeDir, '.env'), Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  const run = spawnSync('docker-compose', ['--project-directory', composeDir, '-f', join(composeDir, 'docker-compose.yaml'), 'config'],
    { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
  if (run.error) throw new Error(`docker-compose is needed for this test (${run.error.message}); on Debian: apt-get install docker-compose`);
  config = { status: run.status, stdout: run.stdout, stderr: stack.redactor.apply(run.stderr) };
  services = config.status === 0 ? parse(config.stdout).services : {};
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every Secret and key the workload references. */
function secretKeys(objects: Json[]): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  const add = (secret: string, key: string) => keys.set(secret, (keys.get(secret) ?? new Set()).add(key));
  JSON.stringify(objects, (_, value) => {
    if (value?.secretKeyRef) add(value.secretKeyRef.name, value.secretKeyRef.key);
    if (value?.secret?.secretName) for (const item of value.secret.items ?? []) add(value.secret.secretName, item.key);
    return value;
  });
  return keys;
}

/** The container of a compose service, as the data-path harness plans it. */
function harnessRun(service: string): ContainerRun {
  const { workload } = stack;
  const specs: Record<string, ContainerSpec> = {
    'minio': workload.minio.container,
    'minio-buckets': workload.bucketJob.container,
    'seeder': workload.seederJob.container,
    's3www': workload.s3www.container,
  };
  return stack.plan(service, specs[service], { ordinal: 0, viewOnly: true });
}

/** docker-compose config writes a literal `$` as `$$`. */
const unescape = (value: string) => value.replace(/\$\$/g, '$');

test('Debian\'s docker-compose accepts the file', () => {
  expect({ status: config.status, stderr: config.stderr }).toEqual({ status: 0, stderr: '' });
  expect(Object.keys(services).sort()).toEqual(['minio', 'minio-buckets', 's3www', 'seeder']);
});

describe.each(['minio', 'minio-buckets', 'seeder', 's3www'])('%s', (name) => {
  test('has the image, command line and environment the data-path test runs', () => {
    const run = harnessRun(name);
    const service = services[name];
    const entrypoint = service.entrypoint ?? IMAGES.find((i) => run.spec.image.startsWith(`${i.repository}:`))?.entrypoint;
    const expectedEnv = Object.fromEntries(run.spec.env.map((e) => [e.name, e.secret ? stack.secret(e.secret.name, e.secret.key) : e.value]));
    expect({
      image: service.image,
      argv: [...entrypoint, ...(service.command ?? [])].map(unescape),
      env: Object.fromEntries(Object.entries<string>(service.environment ?? {}).map(([k, v]) => [k, unescape(String(v))])),
    }).toEqual({ image: run.spec.image, argv: run.renderedArgv, env: expectedEnv });
  });

  test('mounts the Secret keys where the pod\'s Secret volume puts them', () => {
    const run = harnessRun(name);
    const expected = run.spec.mounts.flatMap((m) => (m.source.kind === 'secret'
      ? (m.source.items ?? []).map((i) => ({ target: `${m.mountPath}/${i.path}`, value: stack.secret((m.source as { secretName: string }).secretName, i.key) }))
      : []));
    const mounted = (services[name].secrets ?? []).map((s: Json) => ({
      target: s.target,
      value: readFileSync(parse(config.stdout).secrets[s.source].file, 'utf8'),
    }));
    expect(mounted).toEqual(expected);
  });
});

test('the seeder folder holds exactly the files the Job\'s projected ConfigMaps give it', () => {
  const run = harnessRun('seeder');
  const program = run.mounts['/seeder'];
  const expected = Object.fromEntries(readdirSync(program).map((f) => [f, readFileSync(join(program, f)).toString('base64')]));
  const written = Object.fromEntries(Object.entries(compose.files)
    .filter(([path]) => path.startsWith('seeder/')).map(([path, bytes]) => [path.slice('seeder/'.length), bytes.toString('base64')]));
  expect(written).toEqual(expected);
  expect(services.seeder.volumes).toEqual([`${join(dir, 'compose', 'seeder')}:/seeder:ro`]);
});

test('MinIO answers to its Service\'s names, and s3www is published on localhost:8080 only', () => {
  expect(services.minio.networks.default.aliases).toEqual(['minio.s3www.svc.cluster.local', 'minio.s3www.svc', 'minio.s3www']);
  expect(services.s3www.ports).toEqual(['127.0.0.1:8080:8080/tcp']);
});

test('each service keeps its pod\'s hardening and user (MinIO the image\'s), and a Job restarts as often as its backoff limit', () => {
  const hardening = Object.fromEntries(Object.entries<Json>(compose.document.services).map(([name, service]) => [name, Object.fromEntries(
    ['user', 'read_only', 'cap_drop', 'security_opt', 'restart'].filter((k) => k in service).map((k) => [k, service[k]]))]));
  const hardened = { read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] };
  expect(hardening).toEqual({
    'minio': hardened,
    'minio-buckets': { ...hardened, user: '1000:1000', restart: 'on-failure:4' },
    'seeder': { ...hardened, user: '1000:1000', restart: 'on-failure:3' },
    's3www': { ...hardened, user: '65532:65532' },
  });
});

test('the file says where it comes from, and which compose file format it is', () => {
  const text = compose.files['docker-compose.yaml'].toString('utf8');
  expect(text.split('\n').slice(0, 4)).toEqual([
    '# The s3www-eks local stack, generated by `npx projen compose` from the dev environment of',
    '# apps/reference: do not edit. See apps/reference/README.md, "Local development (Docker Compose)".',
    'version: "3.9"',
    'services:',
  ]);
  expect(parse(text)).toEqual(compose.document);
});

test('MinIO keeps its drive in a named volume, and its scratch folders in tmpfs of the emptyDirs\' limits', () => {
  const { volumes, services: { minio } } = compose.document;
  expect({ volumes, minio: minio.volumes, tmpfs: minio.tmpfs }).toEqual({
    volumes: { 'minio-export': {} },
    minio: ['minio-export:/export'],
    tmpfs: ['/tmp:size=67108864', '/home/minio/.minio:size=16777216'],
  });
});

test('the README\'s loop writes exactly the Secret files and .env variables the compose file reads', () => {
  // GIVEN the loop of the README's "Local development (Docker Compose)" that creates the Secrets' keys
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const lines = readme.split('## Local development (Docker Compose)')[1].split('\n');
  const loop = lines.slice(lines.indexOf(': > .env'), lines.indexOf('done') + 1).join('\n');
  const user = join(dir, 'readme-user');
  mkdirSync(user);
  // WHEN a user runs it
  // a shell of its own: no rc file, no variable of the test's environment but PATH
  const run = spawnSync('bash', ['--norc', '--noprofile', '-euo', 'pipefail', '-c', loop], { cwd: user, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: user } });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  // THEN it writes what the services read, and nothing else
  const written = readFileSync(join(user, '.env'), 'utf8').trim().split('\n').map((l) => l.split('=')[0]).sort();
  const read = [...new Set([...JSON.stringify(compose.document).matchAll(/\$\{([^:}]+):\?/g)].map((m) => m[1]))].sort();
  expect(read).toEqual(written);
  expect(read).toContain('MINIO_ROOT_CREDENTIALS_PASSWORD');
  for (const secret of Object.values<Json>(compose.document.secrets)) {
    expect(readFileSync(join(user, secret.file), 'utf8')).not.toBe('');
  }
});

test('writing again replaces the seeder\'s files and keeps the user\'s secrets and .env', () => {
  const composeDir = join(dir, 'compose');
  writeFileSync(join(composeDir, 'seeder', 'removed-since.js'), '');
  const envBefore = readFileSync(join(composeDir, '.env'), 'utf8');
  writeCompose(composeDir, compose);
  expect(readdirSync(join(composeDir, 'seeder')).sort()).toEqual(Object.keys(compose.files).filter((p) => p.startsWith('seeder/')).map((p) => p.slice(7)).sort());
  expect(readFileSync(join(composeDir, '.env'), 'utf8')).toBe(envBefore);
  expect(readdirSync(join(composeDir, 'secrets')).sort()).toEqual(['minio-root-credentials', 'minio-s3www-credentials', 'minio-seeder-credentials']);
});

test('npx projen compose writes the same files, synthesizing dev in a scratch folder it removes', () => {
  const before = readdirSync(tmpdir()).filter((e) => e.startsWith('compose-'));
  const generated = join(dir, 'generated');
  generateCompose(generated);
  const files = (root: string): string[] => readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort();
  expect(files(generated)).toEqual(Object.keys(compose.files).sort());
  for (const [path, bytes] of Object.entries(compose.files)) expect(readFileSync(join(generated, path)).equals(bytes)).toBe(true);
  expect(readdirSync(tmpdir()).filter((e) => e.startsWith('compose-'))).toEqual(before);
});

describe('composeFor, on manifests changed from dev\'s', () => {
  /** A copy of dev's objects, changed by `edit`. */
  const changed = (edit: (copy: Json[]) => void): Json[] => {
    const copy = structuredClone(devObjects);
    edit(copy);
    return copy;
  };
  /** The object of a kind whose name starts with `name` (the Jobs' names end in a hash). */
  const named = (copy: Json[], kind: string, name: string): Json => copy.find((o) => o.kind === kind && o.metadata.name.startsWith(name))!;
  const container = (copy: Json[], kind: string, name: string): Json => named(copy, kind, name).spec.template.spec.containers[0];

  test('takes each workload by its labels, whatever else the manifests hold', () => {
    const more = changed((copy) => {
      const otherJob = structuredClone(named(copy, 'Job', 'minio-buckets'));
      otherJob.metadata.name = 'minio-other';
      otherJob.metadata.labels['app.kubernetes.io/component'] = 'other';
      const otherSet = structuredClone(named(copy, 'StatefulSet', 'minio'));
      otherSet.metadata.labels = { 'app.kubernetes.io/name': 'other' };
      const minioPods = named(copy, 'StatefulSet', 'minio').spec.template.metadata.labels;
      // Kubernetes names are unique per kind: a Secret may share the seeder ConfigMap's name
      copy.unshift({ kind: 'Secret', metadata: { name: named(copy, 'ConfigMap', 's3www-seeder').metadata.name, namespace: 's3www' } });
      copy.push(
        otherJob,
        otherSet,
        { kind: 'StatefulSet' },
        { kind: 'Job', metadata: { name: 'unlabeled' } },
        { kind: 'Service', metadata: { name: 'external', namespace: 's3www' } },
        { kind: 'Service', metadata: { name: 'no-selector', namespace: 's3www' }, spec: { ports: [{ port: 80 }] } },
        // selects MinIO's pods and some others: not MinIO's name
        { kind: 'Service', metadata: { name: 'partial', namespace: 's3www' }, spec: { selector: { ...minioPods, 'app.kubernetes.io/component': 'console' } } },
        // selects MinIO's pods, but is no Service
        { kind: 'ReplicationController', metadata: { name: 'legacy', namespace: 's3www' }, spec: { selector: minioPods } },
      );
    });
    expect(composeFor(more)).toEqual(compose);
  });

  test.each([
    ['no seeder Job', (copy: Json[]) => copy.splice(copy.indexOf(named(copy, 'Job', 's3www-seeder')), 1), 'expected one Job of s3www (seeder), found 0'],
    ['two MinIO StatefulSets', (copy: Json[]) => copy.push(named(copy, 'StatefulSet', 'minio')), 'expected one StatefulSet of minio, found 2'],
    ['distributed MinIO', (copy: Json[]) => { named(copy, 'StatefulSet', 'minio').spec.replicas = 4; },
      'compose runs the standalone MinIO layout (one pod); this environment is distributed'],
    ['a second container', (copy: Json[]) => named(copy, 'Deployment', 's3www').spec.template.spec.containers.push({ name: 'sidecar' }),
      'Deployment/s3www: one container expected'],
    ['a hostPath volume', (copy: Json[]) => { named(copy, 'StatefulSet', 'minio').spec.template.spec.volumes[0] = { name: 'tmp', hostPath: { path: '/tmp' } }; },
      'StatefulSet/minio: volume tmp has no compose equivalent here'],
    ['a mount of a volume the pod does not have', (copy: Json[]) => { container(copy, 'Deployment', 's3www').volumeMounts.push({ name: 'cache', mountPath: '/cache' }); },
      'Deployment/s3www: volume cache has no compose equivalent here'],
    ['no seeder ConfigMap', (copy: Json[]) => copy.splice(copy.indexOf(named(copy, 'ConfigMap', 's3www-seeder')), 1),
      'ConfigMap s3www-seeder-0 is not in the manifests'],
    ['a size limit in decimal units', (copy: Json[]) => { named(copy, 'StatefulSet', 'minio').spec.template.spec.volumes[0].emptyDir.sizeLimit = '64M'; },
      'unsupported quantity 64M'],
    ['a fractional size limit', (copy: Json[]) => { named(copy, 'StatefulSet', 'minio').spec.template.spec.volumes[0].emptyDir.sizeLimit = '1.5Gi'; },
      'unsupported quantity 1.5Gi'],
  ])('refuses manifests with %s, saying why', (_, edit, message) => {
    const copy = changed(edit);
    expect(() => composeFor(copy)).toThrow(message);
  });

  test('runs a MinIO StatefulSet that leaves its replicas to the default (one)', () => {
    const copy = changed((c) => { delete named(c, 'StatefulSet', 'minio').spec.replicas; });
    expect(composeFor(copy).document).toEqual(compose.document);
  });

  test('sizes each tmpfs as its emptyDir is limited, in bytes', () => {
    const copy = changed((c) => {
      const [tmp, certs] = named(c, 'StatefulSet', 'minio').spec.template.spec.volumes;
      tmp.emptyDir.sizeLimit = '2Gi';
      certs.emptyDir.sizeLimit = '512Ki';
    });
    expect(composeFor(copy).document.services.minio.tmpfs).toEqual(['/tmp:size=2147483648', '/home/minio/.minio:size=524288']);
    const plain = changed((c) => {
      const [tmp, certs] = named(c, 'StatefulSet', 'minio').spec.template.spec.volumes;
      tmp.emptyDir.sizeLimit = '1000';
      delete certs.emptyDir.sizeLimit;
    });
    expect(composeFor(plain).document.services.minio.tmpfs).toEqual(['/tmp:size=1000', '/home/minio/.minio']);
  });

  test('writes a literal $ of a command line or an environment value as $$, so that compose keeps it', () => {
    const copy = changed((c) => {
      const web = container(c, 'Deployment', 's3www');
      web.command = ['/s3www', 'price=$5'];
      web.args = ['$HOME'];
      web.env = [...(web.env ?? []), { name: 'GREETING', value: 'costs $5' }];
    });
    const web = composeFor(copy).document.services.s3www;
    expect({ entrypoint: web.entrypoint, command: web.command, greeting: web.environment.GREETING }).toEqual({
      entrypoint: ['/s3www', 'price=$$5'], command: ['$$HOME'], greeting: 'costs $$5',
    });
  });

  test('leaves out an empty argument list, and a container without environment, volumes or labels', () => {
    const copy = changed((c) => {
      const web = container(c, 'Deployment', 's3www');
      web.args = [];
      delete web.env;
      delete web.volumeMounts;
      delete named(c, 'Deployment', 's3www').spec.template.spec.volumes;
      delete named(c, 'Deployment', 's3www').spec.template.metadata;
    });
    const web = composeFor(copy).document.services.s3www;
    expect(web).not.toHaveProperty('command');
    expect(web).not.toHaveProperty('volumes');
    expect(web).not.toHaveProperty('tmpfs');
    expect(web).not.toHaveProperty('secrets');
    // no labels on its pods: no Service selects them, so it answers to no name
    expect(web).not.toHaveProperty('networks');
    expect(web.environment).toEqual({});
  });

  test('runs as the container\'s user, else the pod\'s, in the user\'s group when none is named', () => {
    const copy = changed((c) => {
      const job = named(c, 'Job', 'minio-buckets').spec.template.spec;
      delete job.containers[0].securityContext.runAsUser;
      delete job.containers[0].securityContext.runAsGroup;
      job.securityContext = { runAsUser: 2000 };
      const web = named(c, 'Deployment', 's3www').spec.template.spec;
      delete web.containers[0].securityContext;
      delete web.securityContext;
      // the container's own settings win over the pod's
      const seeder = named(c, 'Job', 's3www-seeder').spec.template.spec;
      seeder.containers[0].securityContext = { ...seeder.containers[0].securityContext, runAsUser: 3000, runAsGroup: 3001 };
      seeder.securityContext = { ...seeder.securityContext, runAsUser: 4000, runAsGroup: 4001 };
    });
    const { services: changedServices } = composeFor(copy).document;
    expect(changedServices.seeder.user).toBe('3000:3001');
    expect(changedServices['minio-buckets'].user).toBe('2000:2000');
    expect(changedServices.s3www.user).toBeUndefined();
  });

  test('restarts a Job with no backoff limit up to Kubernetes\' default of 6 times', () => {
    const copy = changed((c) => { delete named(c, 'Job', 's3www-seeder').spec.backoffLimit; });
    expect(composeFor(copy).document.services.seeder.restart).toBe('on-failure:6');
    expect(compose.document.services.seeder.restart).toBe(`on-failure:${named(devObjects, 'Job', 's3www-seeder').spec.backoffLimit}`);
  });
});
