/**
 * The local stack for Docker Compose, written from the same objects the reference app synthesizes
 * for dev (standalone MinIO): MinIO, the bucket step, the seeder with the giphy URL and s3www on
 * localhost:8080, each with the image, command and environment of its manifest, so the two cannot
 * drift. Cluster DNS names stay as they are: each service answers to its Service's names through
 * network aliases. Run with `npx projen compose`; it writes `dist/compose/`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { EnvironmentName } from './environment-config';
import { APP_DIR, synthesizeEnvironment } from './synthesis';

type Json = Record<string, any>;

/** The files of the local stack: docker-compose.yaml and the seeder program, by relative path. */
export interface ComposeFiles {
  readonly files: Record<string, Buffer>;
  /** The compose document, as written to docker-compose.yaml. */
  readonly document: Json;
}

/** Where a mounted Secret key lives beside the compose file (the user writes it). */
export function secretFile(secret: string, key: string): string {
  return `./secrets/${secret}/${key}`;
}

/** The variable (in `.env`) that an environment variable taken from a Secret key reads. */
export function secretVariable(secret: string, key: string): string {
  return `${secret}_${key}`.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
}

/** Compose interpolates `$`: a literal one is written `$$`. */
function literal(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** Builds the compose files from the objects of an environment with standalone MinIO. */
export function composeFor(objects: Json[]): ComposeFiles {
  const find = (kind: string, name: string, component?: string) => {
    const found = objects.filter((o) => o.kind === kind && o.metadata?.labels?.['app.kubernetes.io/name'] === name
      && (component === undefined || o.metadata.labels['app.kubernetes.io/component'] === component));
    if (found.length !== 1) throw new Error(`expected one ${kind} of ${name}${component ? ` (${component})` : ''}, found ${found.length}`);
    return found[0];
  };
  const statefulSet = find('StatefulSet', 'minio');
  if ((statefulSet.spec.replicas ?? 1) !== 1) throw new Error('compose runs the standalone MinIO layout (one pod); this environment is distributed');
  const workloads: Array<[string, Json]> = [
    ['minio', statefulSet],
    ['minio-buckets', find('Job', 'minio', 'bucket-job')],
    ['seeder', find('Job', 's3www', 'seeder')],
    ['s3www', find('Deployment', 's3www', 'web')],
  ];
  const services: Json = {};
  const secrets: Json = {};
  const volumes: Json = {};
  const files: Record<string, Buffer> = {};

  for (const [serviceName, object] of workloads) {
    const pod = object.spec.template.spec;
    if (pod.containers.length !== 1) throw new Error(`${object.kind}/${object.metadata.name}: one container expected`);
    const container = pod.containers[0];
    const podVolumes = new Map<string, Json>(pod.volumes?.map((v: Json) => [v.name, v]));
    const claims = new Set<string>(object.spec.volumeClaimTemplates?.map((t: Json) => t.metadata.name));
    const service: Json = { image: container.image };
    if (container.command) service.entrypoint = container.command.map(literal);
    if (container.args?.length) service.command = container.args.map(literal);
    service.environment = Object.fromEntries((container.env ?? []).map((e: Json) => {
      const ref = e.valueFrom?.secretKeyRef;
      if (ref) return [e.name, `\${${secretVariable(ref.name, ref.key)}:?set it in .env (README)}`];
      return [e.name, literal(String(e.value))];
    }));
    const mounts: string[] = [];
    const tmpfs: string[] = [];
    const serviceSecrets: Json[] = [];
    for (const mount of container.volumeMounts ?? []) {
      const volume = podVolumes.get(mount.name);
      if (!volume && claims.has(mount.name)) {
        volumes[`minio-${mount.name}`] = {};
        mounts.push(`minio-${mount.name}:${mount.mountPath}`);
      } else if (volume?.emptyDir) {
        tmpfs.push(`${mount.mountPath}${volume.emptyDir.sizeLimit ? `:size=${toBytes(volume.emptyDir.sizeLimit)}` : ''}`);
      } else if (volume?.secret) {
        for (const item of volume.secret.items) {
          const id = `${volume.secret.secretName}.${item.key}`;
          secrets[id] = { file: secretFile(volume.secret.secretName, item.key) };
          serviceSecrets.push({ source: id, target: `${mount.mountPath}/${item.path}` });
        }
      } else if (volume?.projected) {
        // The seeder program: the ConfigMaps' files, written beside the compose file.
        const folder = serviceName;
        for (const source of volume.projected.sources) {
          const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === source.configMap.name);
          if (!configMap) throw new Error(`ConfigMap ${source.configMap.name} is not in the manifests`);
          for (const [k, v] of Object.entries<string>(configMap.data ?? {})) files[`${folder}/${k}`] = Buffer.from(v, 'utf8');
          for (const [k, v] of Object.entries<string>(configMap.binaryData ?? {})) files[`${folder}/${k}`] = Buffer.from(v, 'base64');
        }
        mounts.push(`./${folder}:${mount.mountPath}:ro`);
      } else {
        throw new Error(`${object.kind}/${object.metadata.name}: volume ${mount.name} has no compose equivalent here`);
      }
    }
    if (mounts.length) service.volumes = mounts;
    if (tmpfs.length) service.tmpfs = tmpfs;
    if (serviceSecrets.length) service.secrets = serviceSecrets;
    // The pod's hardening, as far as compose can say it. MinIO keeps the image's user: compose has
    // no fsGroup, and its named volume belongs to root.
    const user = container.securityContext?.runAsUser ?? pod.securityContext?.runAsUser;
    const group = container.securityContext?.runAsGroup ?? pod.securityContext?.runAsGroup;
    if (user !== undefined && serviceName !== 'minio') service.user = `${user}:${group ?? user}`;
    service.read_only = true;
    service.cap_drop = ['ALL'];
    service.security_opt = ['no-new-privileges:true'];
    if (object.kind === 'Job') service.restart = `on-failure:${object.spec.backoffLimit ?? 6}`;
    // Each workload answers to the names of the Services that select its pods.
    const labels = object.spec.template.metadata?.labels ?? {};
    const aliases = objects
      .filter((o) => o.kind === 'Service' && o.spec?.clusterIP !== 'None' && Object.keys(o.spec?.selector ?? {}).length > 0
        && Object.entries<string>(o.spec.selector).every(([k, v]) => labels[k] === v))
      .flatMap((o) => [`${o.metadata.name}.${o.metadata.namespace}.svc.cluster.local`, `${o.metadata.name}.${o.metadata.namespace}.svc`, `${o.metadata.name}.${o.metadata.namespace}`]);
    if (aliases.length) service.networks = { default: { aliases } };
    if (serviceName === 's3www') service.ports = [`127.0.0.1:8080:${container.ports[0].containerPort}`];
    services[serviceName] = service;
  }
  const document = { version: '3.9', services, secrets, volumes };
  const header = [
    '# The s3www-eks local stack, generated by `npx projen compose` from the dev environment of',
    '# apps/reference: do not edit. See apps/reference/README.md, "Local development (Docker Compose)".',
    '',
  ].join('\n');
  files['docker-compose.yaml'] = Buffer.from(header + stringify(document, { version: '1.1', lineWidth: 0 }));
  return { files, document };
}

/** A Kubernetes quantity (e.g. 64Mi) in bytes, as docker's tmpfs size option takes it. */
function toBytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)?$/.exec(quantity);
  if (!match) throw new Error(`unsupported quantity ${quantity}`);
  const unit = match[2] ? ({ Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 } as Record<string, number>)[match[2]] : 1;
  return Number(match[1]) * unit;
}

/**
 * Writes the files into `dir`, replacing docker-compose.yaml and the seeder folder, and leaving
 * the user's `secrets/` and `.env` alone.
 */
export function writeCompose(dir: string, compose: ComposeFiles): void {
  rmSync(join(dir, 'seeder'), { recursive: true, force: true });
  for (const [path, bytes] of Object.entries(compose.files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
}

/** Synthesizes dev in a scratch folder and writes its compose files into `dir`. */
export function generateCompose(dir: string): ComposeFiles {
  // Stryker disable next-line StringLiteral: the scratch folder's name; it is removed whole at the end
  const scratch = mkdtempSync(join(tmpdir(), 'compose-'));
  try {
    // Stryker disable next-line StringLiteral: folder names inside the scratch folder, which is removed whole
    const out = synthesizeEnvironment(EnvironmentName.DEV, { cdkOut: join(scratch, 'cdk.out'), manifests: join(scratch, 'manifests') });
    const compose = composeFor(out.objects);
    writeCompose(dir, compose);
    return compose;
  } finally {
    rmSync(scratch, { recursive: true });
  }
}

// The command-line entry point, which `npx projen compose` runs; the tests call generateCompose() themselves.
// Stryker disable all
if (require.main === module) {
  const dir = join(APP_DIR, 'dist', 'compose');
  generateCompose(dir);
  console.log(`wrote ${dir}/docker-compose.yaml and its seeder files; see apps/reference/README.md, "Local development (Docker Compose)"`);
}
// Stryker restore all
