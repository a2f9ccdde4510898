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
import { composeFor, ComposeFiles, secretFile, secretVariable, writeCompose } from '../src/compose';
import { EnvironmentName } from '../src/environment-config';
import { synthesizeEnvironment } from '../src/synthesis';

type Json = Record<string, any>;

let dir: string;
let stack: LocalStack;
let compose: ComposeFiles;
let config: { status: number | null; stdout: string; stderr: string };
let services: Json;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'compose-test-'));
  const out = synthesizeEnvironment(EnvironmentName.DEV, { cdkOut: join(dir, 'cdk.out'), manifests: join(dir, 'manifests') });
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
