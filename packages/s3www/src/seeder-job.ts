/**
 * The seeder: a Job that runs the bundled program in a stock Node.js image, so there is no image
 * of our own to build or publish. The program (assets/seeder/index.js, 436 KiB) travels
 * brotli-compressed in parts of at most 48 KiB, one per ConfigMap, beside a small loader
 * (assets/seeder/load.js) that joins, checks and runs it: kubectl's `create --save-config` and
 * `apply` copy each whole object into an annotation that the API server caps at 256 KiB.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import {
  asPeer, checkHttpUrl, checkInteger, credentialsVolume, fail, isolate, kubeDns, objectLabels, podsOf,
  resolveImage, resolveName, resolveNamespace, resolveResources, runOnceJob, selectorLabels as labelsOf,
} from '@s3www-eks/cdk8s-common';
import { ApiObject, Duration, Size } from 'cdk8s';
import {
  ContainerResources, Cpu, INetworkPolicyPeer, IPodSelector, k8s, NetworkPolicy, NetworkPolicyIpBlock, NetworkPolicyPeerConfig,
  NetworkPolicyPort, PodSelectorConfig,
} from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { resolveBackend, S3Backend, unreachableBackend } from './backend';
import { allowTo, AllowToOptions } from './connections';
import { ImageOptions, SEEDER_IMAGE } from './image';
import { CREDENTIALS_DIR, SEEDER_USER } from './security';
import { CONTENT_TYPE_PATTERN, keyFromUrl, keyProblem, SeedSource, SHA256_PATTERN } from './seed-source';
import { LOADER_FILE, PROGRAM_PART_PREFIX } from './seeder-files';

/** Properties of a {@link Seeder}. */
export interface SeederProps {
  /**
   * The bucket to fill and how to reach it. The bucket must exist: the seeder checks it and waits
   * for it (up to 5 minutes), and never creates one. With `@s3www-eks/minio`, its `buckets` create it.
   */
  readonly backend: S3Backend;

  /** Files to put into the bucket, in this order. */
  readonly sources: SeedSource[];

  /**
   * Base name of every object (Job, ConfigMaps, ServiceAccount, NetworkPolicy), at most 40 characters.
   * @default - a unique name derived from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of every object.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * The official Node.js image (Node 20 or later) that runs the seeder, e.g. from a mirror. A full
   * version (or a digest): a major tag such as `22-alpine` moves with every release.
   * @default - node:22.23.3-alpine
   */
  readonly image?: ImageOptions;

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
   * Where the sources are, for the seeder's NetworkPolicy (on the ports of the source URLs), e.g.
   * a proxy's pods or the IP blocks of a mirror.
   * @default - any IPv4 address, on the ports of the source URLs only
   */
  readonly sourcePeers?: Array<INetworkPolicyPeer | IPodSelector>;

  /**
   * The cluster DNS, which the pods may query (UDP and TCP 53), e.g. an IP block for NodeLocal DNSCache.
   * @default - pods labelled k8s-app=kube-dns in kube-system (CoreDNS on EKS)
   */
  readonly dns?: INetworkPolicyPeer | IPodSelector;
}

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
const HASH_LENGTH = 10;

/** A regular expression (RE2) matching the names of a seeder's Jobs, whatever their hash. */
export function seedJobPattern(name: string): string {
  return `${name}-[0-9a-f]{${HASH_LENGTH}}`;
}

/**
 * Seeds a bucket on any S3 API (MinIO, AWS S3, ...) with files downloaded from URLs: a Job that
 * streams each file into the bucket with bounded memory, verifies size and SHA-256, never leaves a
 * partial object, and skips what is already there. Its name carries a hash of its configuration,
 * so a changed source list runs it again.
 *
 * The bucket must exist: the seeder only checks it (waiting for it to appear), so that exactly one
 * component creates buckets; with `@s3www-eks/minio` that is MinIO's bucket Job (`buckets`).
 *
 * It is a cdk8s-plus pod selector and network peer of its pods: the backend admits it by name, e.g.
 * `minio.allowFrom(seeder)`, and it reaches anything else with `allowTo()`.
 *
 * @example
 * const seeder = new Seeder(chart, 'Seeder', {
 *   backend: {
 *     bucket: 'site',
 *     endpoint: 'http://minio.storage.svc.cluster.local:9000',
 *     credentials: { secretName: 'site-keys' },
 *   },
 *   sources: [{ url: 'https://example.com/index.html' }],
 * });
 * seeder.allowTo(Pods.select(chart, 'Minio', {
 *   labels: { 'app.kubernetes.io/name': 'minio' },
 *   namespaces: Namespaces.select(chart, 'Storage', { names: ['storage'] }),
 * }), { ports: [NetworkPolicyPort.tcp(9000)] });
 */
export class Seeder extends Construct implements IPodSelector, INetworkPolicyPeer {
  /** Base name of the objects. */
  public readonly name: string;
  /** Namespace of the objects, when the construct or its chart names one. */
  public readonly namespace?: string;
  /** Name of the Job; it changes with the seeder's configuration (and with each release of the program). */
  public readonly jobName: string;
  /** ServiceAccount of the seeder's pods: the one to associate with an IAM role for Pod Identity. */
  public readonly serviceAccountName: string;
  /** Labels that select the seeder's pods. */
  public readonly selectorLabels: { [key: string]: string };
  /** The Job (escape hatch). */
  public readonly job: ApiObject;
  /** The default-deny NetworkPolicy of the pods, which lets out DNS, the sources and, for AWS S3, the backend (escape hatch). */
  public readonly networkPolicy: NetworkPolicy;

  constructor(scope: Construct, id: string, props: SeederProps) {
    super(scope, id);
    const backend = resolveBackend(props.backend);
    this.name = resolveName(this, props.name);
    this.namespace = resolveNamespace(this, props.namespace);
    const sources = resolveSources(props.sources);
    const image = resolveImage('image', props.image, SEEDER_IMAGE);
    const backoffLimit = props.backoffLimit ?? 3;
    checkInteger('backoffLimit', backoffLimit, 0, 100);
    const deadline = (props.activeDeadline ?? Duration.minutes(30)).toSeconds();
    checkInteger('activeDeadline', deadline, 1, 7 * 24 * 3600);
    const ttl = (props.ttlAfterFinished ?? Duration.days(1)).toSeconds();
    checkInteger('ttlAfterFinished', ttl, 0, 365 * 24 * 3600);
    const resources = resolveResources('resources', props.resources, {
      cpuRequest: Cpu.millis(100), cpuLimit: Cpu.units(1), memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(256),
    });
    this.selectorLabels = labelsOf('s3www', this.name, 'seeder');
    const labels = objectLabels('s3www', this.name, 'seeder');
    const metadata = (name: string, extra: Partial<k8s.ObjectMeta> = {}) => ({ name, namespace: props.namespace, labels, ...extra });

    const { loader, parts } = readProgram();
    const configMapNames = parts.map((part, i) => {
      const configMapName = `${this.name}-${i}`;
      new k8s.KubeConfigMap(this, `Program${i}`, {
        metadata: metadata(configMapName),
        data: i === 0 ? { [LOADER_FILE]: loader } : undefined,
        binaryData: { [`${PROGRAM_PART_PREFIX}${i}`]: part.toString('base64') },
      });
      return configMapName;
    });

    this.serviceAccountName = this.name;
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: metadata(this.serviceAccountName, { annotations: backend.workloadIdentity?.annotations }),
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
    this.job = runOnceJob(this, 'Job', {
      namePrefix: `${this.name}-`,
      hashLength: HASH_LENGTH,
      namespace: props.namespace,
      labels,
      podLabels: this.selectorLabels,
      serviceAccountName: this.serviceAccountName,
      user: SEEDER_USER,
      backoffLimit,
      activeDeadlineSeconds: deadline,
      ttlSecondsAfterFinished: ttl,
      // Exit code 2 is a configuration error: no retry can fix it.
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'seeder', operator: 'In', values: [2] } }] },
      container: {
        name: 'seeder',
        image,
        command: ['node', ...SEEDER_NODE_FLAGS, `${MOUNT}/${LOADER_FILE}`],
        env,
        resources,
        volumeMounts: [
          { name: 'program', mountPath: MOUNT, readOnly: true },
          ...(backend.credentials ? [{ name: 'credentials', mountPath: CREDENTIALS_DIR, readOnly: true }] : []),
        ],
      },
      volumes: [
        { name: 'program', projected: { defaultMode: 0o444, sources: configMapNames.map((name) => ({ configMap: { name } })) } },
        ...(backend.credentials ? [credentialsVolume('credentials', backend.credentials)] : []),
      ],
      // The program travels in the ConfigMaps, whose names stay: a new release of it must run the Job again too.
      alsoChangesWith: loader,
    });
    this.jobName = this.job.name;

    this.networkPolicy = isolate(this, 'NetworkPolicy', { name: this.name, namespace: this.namespace, dns: props.dns ?? kubeDns(this) });
    if (!backend.customEndpoint) {
      // AWS S3's addresses change: any IPv4 address, on 443 only.
      this.networkPolicy.addEgressRule(NetworkPolicyIpBlock.anyIpv4(this, 'AwsS3'), [NetworkPolicyPort.tcp(443)]);
    }
    const sourcePorts = [...new Set(sources.map((s) => portOf(new URL(s.url))))].sort((a, b) => a - b).map((p) => NetworkPolicyPort.tcp(p));
    const sourcePeers = props.sourcePeers?.length ? props.sourcePeers.map(asPeer) : [NetworkPolicyIpBlock.anyIpv4(this, 'Sources')];
    for (const peer of sourcePeers) this.networkPolicy.addEgressRule(peer, sourcePorts);

    this.node.addValidation({
      validate: () => unreachableBackend(this, `seeder '${this.name}'`, backend, { labels: this.selectorLabels, namespace: this.namespace }),
    });
  }

  /**
   * Lets the seeder's pods reach the peer, as cdk8s-plus `connections.allowTo` does: the seeder's
   * egress policy, and an ingress policy selecting the peer's pods (none for an IP block), e.g. for
   * a backend that is not a `Minio` of `@s3www-eks/minio` (whose `allowFrom(seeder)` does both).
   * Calling it again for the same peer returns the same policy.
   *
   * @param peer pods, namespaces or an IP block; in Java and C#, `Pods.select(...)` as is
   * @returns the seeder's egress policy (the peer's ingress policy with `PodConnectionsIsolation.PEER`)
   */
  public allowTo(peer: INetworkPolicyPeer | IPodSelector, options: AllowToOptions = {}): NetworkPolicy {
    return allowTo(this, this.namespace, peer, options);
  }

  /** Selects the seeder's pods in their namespace (without one, in the namespace of the selecting policy). */
  public toPodSelectorConfig(): PodSelectorConfig { return podsOf(this.selectorLabels, this.namespace); }

  /** The seeder's pods as a network peer, e.g. for `minio.allowFrom(seeder)`. */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig { return { podSelector: this.toPodSelectorConfig() }; }

  /** The seeder's pods as a pod selector. */
  public toPodSelector(): IPodSelector | undefined { return this; }
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
  if (sources.length === 0) fail('sources', 'must hold at least one source', sources);
  const keys = new Map<string, number>();
  return sources.map((source, i) => {
    const prop = `sources[${i}]`;
    const url = checkHttpUrl(`${prop}.url`, source.url);
    const key = source.key ?? keyFromUrl(url);
    if (source.key === undefined && key === '') fail(`${prop}.key`, 'must be set: the URL has no file name to use', source.key);
    const problem = keyProblem(key);
    if (problem) fail(`${prop}.key`, problem, key);
    const first = keys.get(key);
    if (first !== undefined) fail(`${prop}.key`, `must be unique, but 'sources[${first}]' has the same key`, key);
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
