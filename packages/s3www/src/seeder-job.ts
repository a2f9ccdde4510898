/**
 * The seeder: a Job that runs the bundled program in a stock Node.js image, so there is no image
 * of our own to build or publish. The program (assets/seeder/index.js, 436 KiB) travels
 * brotli-compressed in parts of at most 48 KiB, one per ConfigMap, beside a small loader
 * (assets/seeder/load.js) that joins, checks and runs it: kubectl's `create --save-config` and
 * `apply` copy each whole object into an annotation that the API server caps at 256 KiB.
 */
import { createHash } from 'crypto';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { Duration, Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ResolvedBackend } from './backend';
import { NetworkPeer } from './network-peer';
import { dnsEgressRule, egressRule } from './network-policy';
import { resolveResources } from './resources';
import { containerSecurityContext, CREDENTIALS_DIR, credentialsVolume, podSecurityContext, SEEDER_USER } from './security';
import { CONTENT_TYPE_PATTERN, keyFromUrl, keyProblem, SeedSource, SHA256_PATTERN } from './seed-source';
import { LOADER_FILE, PROGRAM_PART_PREFIX } from './seeder-files';
import { checkHttpUrl, checkImage, checkInteger, fail } from './validation';

/** The content seeder: a Job that downloads files into the bucket. */
export interface SeedOptions {
  /** Files to put into the bucket, in this order. */
  readonly sources: SeedSource[];

  /**
   * Official Node.js image that runs the seeder (Node 20 or later), e.g. from a mirror. Pin it to a
   * full version (or a digest): a major tag such as `node:22-alpine` moves with every release.
   * @default 'node:22.23.3-alpine'
   */
  readonly image?: string;

  /**
   * Requests and limits of the seeder's container. The seeder streams with bounded buffers;
   * see the README's benchmark for its peak memory.
   * @default - cpu 100m request / 1 limit, memory 128Mi request / 256Mi limit
   */
  readonly resources?: ContainerResources;

  /**
   * Failed pods before the Job gives up. A configuration error (exit code 2) fails the Job at once.
   * @default 3
   */
  readonly backoffLimit?: number;

  /**
   * Time after which the Job is stopped, whatever the retries left.
   * @default Duration.minutes(30)
   */
  readonly activeDeadline?: Duration;

  /**
   * Time after which a finished Job (and its pods and logs) is deleted.
   * @default Duration.days(1)
   */
  readonly ttlAfterFinished?: Duration;

  /**
   * Where the sources are, for the seeder's NetworkPolicy (on the ports of the source URLs).
   * @default - any IPv4 address, on the ports of the source URLs only
   */
  readonly sourcePeers?: NetworkPeer[];
}

/**
 * The seeder's default image: the official Node.js image on Alpine, pinned to a full release (the
 * newest Node 22 when this version was published) so that a re-synth never changes what runs.
 */
export const SEEDER_IMAGE = 'node:22.23.3-alpine';

/**
 * Node.js flags of the Job, and of the benchmark in the README that measures them. A 1 MiB young
 * generation, and `gc()` exposed so that the seeder collects the socket buffers of each part as
 * soon as the part is sent, keep the peak memory about 25 MiB lower at no measurable speed cost;
 * with one CPU at most, GC helper threads would only compete with the main thread.
 */
export const SEEDER_NODE_FLAGS = ['--max-semi-space-size=1', '--expose-gc', '--single-threaded-gc'];

const ASSETS = join(__dirname, '..', 'assets', 'seeder');
const MOUNT = '/seeder';
/**
 * Compressed program bytes per ConfigMap. Base64 makes 64 KiB of them, and kubectl's
 * last-applied copy doubles that: each object stays near 130 KiB, well under 256 KiB.
 */
const PART_BYTES = 48 * 1024;

/** Settings the seeder Job takes from the S3www construct. */
export interface SeederContext {
  readonly name: string;
  readonly namespace?: string;
  readonly backend: ResolvedBackend;
  readonly labels: Record<string, string>;
  readonly dns: NetworkPeer;
}

export class SeederJob extends Construct {
  public readonly jobName: string;
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, options: SeedOptions, context: SeederContext) {
    super(scope, id);
    const sources = resolveSources(options.sources);
    const image = options.image ?? SEEDER_IMAGE;
    checkImage('seed.image', image);
    const backoffLimit = options.backoffLimit ?? 3;
    checkInteger('seed.backoffLimit', backoffLimit, 0, 100);
    const deadline = (options.activeDeadline ?? Duration.minutes(30)).toSeconds();
    checkInteger('seed.activeDeadline', deadline, 1, 7 * 24 * 3600);
    const ttl = (options.ttlAfterFinished ?? Duration.days(1)).toSeconds();
    checkInteger('seed.ttlAfterFinished', ttl, 0, 365 * 24 * 3600);
    const resources = resolveResources('seed.resources', options.resources, {
      cpuRequest: Cpu.millis(100), cpuLimit: Cpu.units(1), memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(256),
    });
    const { backend } = context;
    const metadata = (name: string, extra: Partial<k8s.ObjectMeta> = {}) => ({
      name, namespace: context.namespace, labels: context.labels, ...extra,
    });

    const { loader, parts } = readProgram();
    const configMapNames = parts.map((part, i) => {
      const configMapName = `${context.name}-seeder-${i}`;
      new k8s.KubeConfigMap(this, `Program${i}`, {
        metadata: metadata(configMapName),
        data: i === 0 ? { [LOADER_FILE]: loader } : undefined,
        binaryData: { [`${PROGRAM_PART_PREFIX}${i}`]: part.toString('base64') },
      });
      return configMapName;
    });

    this.serviceAccountName = `${context.name}-seeder`;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(this.serviceAccountName, { annotations: backend.workloadIdentity?.seederAnnotations }),
      automountServiceAccountToken: false,
    });

    const env: k8s.EnvVar[] = [
      ...(backend.customEndpoint ? [{ name: 'S3_ENDPOINT', value: backend.endpoint }] : []),
      { name: 'S3_BUCKET', value: backend.bucket },
      { name: 'AWS_REGION', value: backend.region },
      { name: 'SEED_SOURCES', value: JSON.stringify(sources) },
      ...(backend.credentials ? [
        { name: 'S3_ACCESS_KEY_FILE', value: `${CREDENTIALS_DIR}/accessKey` },
        { name: 'S3_SECRET_KEY_FILE', value: `${CREDENTIALS_DIR}/secretKey` },
      ] : []),
    ];
    // A Job's pod template is immutable: a new name per configuration (and per seeder version) runs the seeder again.
    const hash = createHash('sha256').update(JSON.stringify({ env, image, loader, resources, backoffLimit, deadline })).digest('hex').slice(0, 10);
    this.jobName = `${context.name}-seed-${hash}`;

    new k8s.KubeJob(this, 'Job', {
      metadata: metadata(this.jobName),
      spec: {
        backoffLimit,
        activeDeadlineSeconds: deadline,
        ttlSecondsAfterFinished: ttl,
        // Exit code 2 is a configuration error: no retry can fix it.
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'seeder', operator: 'In', values: [2] } }] },
        template: {
          metadata: { labels: context.labels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: this.serviceAccountName,
            // EKS Pod Identity and IRSA mount their own projected tokens; the API token is never needed.
            automountServiceAccountToken: false,
            securityContext: podSecurityContext(SEEDER_USER),
            containers: [{
              name: 'seeder',
              image,
              command: ['node', ...SEEDER_NODE_FLAGS, `${MOUNT}/${LOADER_FILE}`],
              env,
              resources,
              securityContext: containerSecurityContext(SEEDER_USER),
              volumeMounts: [
                { name: 'program', mountPath: MOUNT, readOnly: true },
                ...(backend.credentials ? [{ name: 'credentials', mountPath: CREDENTIALS_DIR, readOnly: true }] : []),
              ],
            }],
            volumes: [
              { name: 'program', projected: { defaultMode: 0o444, sources: configMapNames.map((name) => ({ configMap: { name } })) } },
              ...(backend.credentials ? [credentialsVolume(backend.credentials)] : []),
            ],
          },
        },
      },
    });

    const sourcePorts = sources.map((s) => portOf(new URL(s.url)));
    new k8s.KubeNetworkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(`${context.name}-seeder`),
      spec: {
        podSelector: { matchLabels: context.labels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [
          dnsEgressRule(context.dns),
          egressRule(backend.peers, [backend.port]),
          egressRule(options.sourcePeers?.length ? options.sourcePeers : [NetworkPeer.anyIpv4()], sourcePorts),
        ],
      },
    });
  }
}

/** The loader, and the compressed program cut into parts of at most {@link PART_BYTES}. */
function readProgram(): { loader: string; parts: Buffer[] } {
  const loaderFile = join(ASSETS, LOADER_FILE);
  if (!existsSync(loaderFile)) throw new Error(`the seeder bundle in ${ASSETS} is missing: build the package first (npx projen compile)`);
  const program = readFileSync(join(ASSETS, 'program.br'));
  const count = Math.ceil(program.length / PART_BYTES);
  // Even parts, so that no ConfigMap is much larger than the others.
  const size = Math.ceil(program.length / count);
  const parts = Array.from({ length: count }, (_, i) => program.subarray(i * size, (i + 1) * size));
  return { loader: readFileSync(loaderFile, 'utf8'), parts };
}

/** Sources checked and with their keys filled in, as the seeder reads them from SEED_SOURCES. */
function resolveSources(sources: SeedSource[]): SeedSource[] {
  if (sources.length === 0) fail('seed.sources', 'must hold at least one source', sources);
  const keys = new Map<string, number>();
  return sources.map((source, i) => {
    const prop = `seed.sources[${i}]`;
    const url = checkHttpUrl(`${prop}.url`, source.url);
    const key = source.key ?? keyFromUrl(url);
    if (source.key === undefined && key === '') fail(`${prop}.key`, 'must be set: the URL has no file name to use', source.key);
    const problem = keyProblem(key);
    if (problem) fail(`${prop}.key`, problem, key);
    const first = keys.get(key);
    if (first !== undefined) fail(`${prop}.key`, `must be unique, but 'seed.sources[${first}]' has the same key`, key);
    keys.set(key, i);
    if (source.sha256 !== undefined && !SHA256_PATTERN.test(source.sha256)) {
      fail(`${prop}.sha256`, 'must be 64 lower-case hexadecimal characters', source.sha256);
    }
    if (source.contentType !== undefined && !CONTENT_TYPE_PATTERN.test(source.contentType)) {
      fail(`${prop}.contentType`, 'must be a media type such as text/html', source.contentType);
    }
    // JSON.stringify drops the undefined fields.
    return { url: source.url, key, sha256: source.sha256, contentType: source.contentType };
  });
}

function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}
