/**
 * The synthesized workload run as local processes on loopback: the real MinIO server (one process
 * per StatefulSet pod), the bucket Job's script in bash with the real `mc`, the seeder Job's
 * command in Node.js, and s3www when a binary is given. Every command line, environment and file
 * comes from the manifests; what the harness changes to run them on one machine is listed in
 * tools/testing/data-path/README.md and applied here only:
 *
 * - DNS: every Service name and StatefulSet pod name gets a 127.0.0.0/8 address of the stack's own
 *   /24 ({@link LoopbackNetwork}); names are replaced by addresses in args and env values, ports are
 *   kept. A Service port forwards to the pods whose readiness probe passes ({@link ServicePort}).
 * - Listening: an address that binds every interface (`:9000`, `0.0.0.0:8080`) binds the pod's
 *   loopback address instead. Distributed MinIO pods listen on the container port + 100 × ordinal
 *   (MinIO takes an endpoint for its own when host and port both match, and every loopback address
 *   counts as the same host), and the `minio server` endpoint list is written out, MinIO's ellipses
 *   expanded in MinIO's own order, with each pod's address, port and drive folders.
 * - Volumes: emptyDir and claim templates are folders (claims survive pod restarts), Secret and
 *   ConfigMap volumes are folders of files with the items and modes of the manifest; values that
 *   are (or start with) a mount path point into the folder.
 * - Secrets: every Secret key the manifests reference gets a random test value (never logged).
 * - Images: each image maps to the local program built from the same project (see {@link IMAGES}).
 */
import { createHash, createHmac, randomBytes } from 'crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isFree, LoopbackNetwork, probe, ServicePort } from './loopback';
import { Exit, LocalProcess, Redactor } from './processes';
import {
  ContainerSpec, EnvVar, Json, JobSpec, Mount, podName, readWorkload, selects, serviceNames, spreadOverZones, Workload,
} from './workload';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain Node.js script, shared with .ci/run
const buildScript = require('../../programs/build.js') as { programPath(name: string): string; pinnedVersion(name: string): string };

/** The local programs that stand in for the images. */
export interface Programs {
  readonly minio: string;
  readonly mc: string;
  readonly node: string;
  readonly bash: string;
  /** s3www v1.0.0, built by the user (the Go module proxy refuses it): `S3WWW_BINARY`. */
  readonly s3www?: string;
}

/** The programs built by tools/programs/build.js, this Node.js, bash, and s3www from `S3WWW_BINARY` if set. */
export function localPrograms(s3wwwBinary: string | undefined = process.env.S3WWW_BINARY): Programs {
  if (s3wwwBinary !== undefined && !existsSync(s3wwwBinary)) throw new Error(`S3WWW_BINARY names ${s3wwwBinary}, which does not exist`);
  return { minio: buildScript.programPath('minio'), mc: buildScript.programPath('mc'), node: process.execPath, bash: '/bin/bash', s3www: s3wwwBinary };
}

/** An image's stand-in: the programs it provides (by command name) and its entrypoint. */
interface ImageStandIn {
  readonly repository: string;
  readonly provides: (p: Programs) => Record<string, string | undefined>;
  readonly entrypoint?: string[];
}

/**
 * Images and their local stand-ins. The pinned MinIO and mc releases are not served by the Go
 * module proxy; the nearest served versions are built (tools/programs/minio, tools/programs/mc).
 * The seeder runs in this Node.js (the image is node:22 on Alpine).
 */
export const IMAGES: ImageStandIn[] = [
  { repository: 'quay.io/minio/minio', provides: (p) => ({ minio: p.minio }) },
  { repository: 'quay.io/minio/mc', provides: (p) => ({ 'mc': p.mc, 'bash': p.bash, '/bin/bash': p.bash }) },
  { repository: 'node', provides: (p) => ({ node: p.node }) },
  { repository: 'y4m4/s3www', provides: (p) => ({ '/s3www': p.s3www }), entrypoint: ['/s3www'] },
];

function standInFor(image: string): ImageStandIn {
  const repository = image.replace(/@sha256:[0-9a-f]+$/, '').replace(/:[^/:]+$/, '');
  const found = IMAGES.find((i) => i.repository === repository);
  if (!found) throw new Error(`no local program stands in for the image ${image}; known: ${IMAGES.map((i) => i.repository).join(', ')}`);
  return found;
}

export interface StackOptions {
  /** The Kubernetes objects of one environment's plain manifests. */
  readonly objects: Json[];
  readonly programs?: Programs;
  /** Folder for the stack's files; a new one under os.tmpdir() by default (removed by stop()). */
  readonly root?: string;
  /** Origins outside the cluster served locally instead, e.g. `{ 'https://media.giphy.com': 'https://127.1.2.3:4567' }`. */
  readonly externalOrigins?: Record<string, string>;
  /** Environment added to the seeder's (e.g. NODE_EXTRA_CA_CERTS for a local HTTPS source). */
  readonly seederEnv?: Record<string, string>;
  /** Zones of the cluster, for {@link LocalStack.zones}. */
  readonly zones?: number;
  /** How often readiness probes run (the manifests say 10 s; tests want answers sooner). */
  readonly probePeriodMs?: number;
  /** First back-off between two pods of a failing Job (Kubernetes: 10 s, doubling). */
  readonly jobBackoffMs?: number;
  /** The loopback network to use (a random /24 by default). */
  readonly network?: LoopbackNetwork;
  /**
   * Services whose names resolve straight to their one pod, without the forwarder (a benchmark
   * would otherwise measure the forwarder, a Node.js process; kube-proxy forwards in the kernel).
   * Only for a Service of the standalone MinIO pod, whose local port is the Service's port.
   */
  readonly directServices?: string[];
}

/** A container as the manifests render it, and as it runs here. */
export interface ContainerRun {
  readonly pod: string;
  readonly spec: ContainerSpec;
  /** Command (or the image's entrypoint) and args, as rendered. */
  readonly renderedArgv: string[];
  /** argv as run here. */
  readonly argv: string[];
  /** Environment as run here: the rendered variables localized, plus {@link harnessEnv}. */
  readonly env: Record<string, string>;
  /** What the harness adds to the rendered environment (PATH, TMPDIR, documented workarounds). */
  readonly harnessEnv: Record<string, string>;
  /** Local folder of each mount path. */
  readonly mounts: Record<string, string>;
  readonly folder: string;
}

export interface PodRun {
  readonly pod: string;
  readonly exit: Exit;
  readonly stdout: string;
  readonly stderr: string;
}

export interface JobResult {
  readonly succeeded: boolean;
  /** Why the Job failed, as Kubernetes names it. */
  readonly reason?: 'BackoffLimitExceeded' | 'PodFailurePolicy' | 'DeadlineExceeded';
  readonly pods: PodRun[];
}

interface RunningPod {
  readonly name: string;
  readonly address: string;
  /** Local port of a container port. */
  readonly portOf: (containerPort: number) => number;
  readonly labels: Record<string, string>;
  readonly spec: ContainerSpec;
  process?: LocalProcess;
  ready: boolean;
}

/** An S3 endpoint and the keys to use on it. */
export interface S3Access {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
}

/** What s3www would use, read from its rendered flags. */
export interface S3wwwView {
  /** The flags as rendered (flag name without dash → value; `true` for a boolean flag). */
  readonly flags: Record<string, string>;
  /** `-address` as rendered (s3www's default when absent). */
  readonly listen: { readonly host: string; readonly port: number };
  /** `-endpoint` localized, `-bucket`, and the keys read from the localized key files. */
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
}

/** s3www v1.0.0's flags (main.go), with whether each is a boolean. Go's flag package exits 2 on any other. */
export const S3WWW_FLAGS: Record<string, boolean> = Object.fromEntries([
  ...['endpoint', 'bucket', 'bucketPath', 'accessKey', 'secretKey', 'address', 'ssl-cert', 'ssl-key'].map((f) => [f, false]),
  ...['accessKeyFile', 'secretKeyFile', 'spaFile', 'allowed-cors-origins'].map((f) => [f, false]),
  ...['lets-encrypt', 'version', 'v'].map((f) => [f, true]),
]);

const PORT_STRIDE = 100;

export class LocalStack {
  /** Reads the workload and lays out the network; starts nothing. */
  static async create(options: StackOptions): Promise<LocalStack> {
    const stack = new LocalStack(options);
    await stack.checkAddressesFree();
    return stack;
  }

  readonly workload: Workload;
  readonly network: LoopbackNetwork;
  readonly programs: Programs;
  readonly root: string;
  /** Every container started, in order. */
  readonly runs: ContainerRun[] = [];
  readonly redactor = new Redactor();

  private readonly ownsRoot: boolean;
  private readonly secretValues = new Map<string, string>();
  private readonly minioPods: RunningPod[];
  private readonly s3wwwPods: RunningPod[] = [];
  private readonly servicePorts: ServicePort[] = [];
  private readonly processes = new Set<LocalProcess>();
  private readonly probeTimer: NodeJS.Timeout;
  private probing = false;
  private incarnations = 0;
  private stopped = false;

  private constructor(private readonly options: StackOptions) {
    this.workload = readWorkload(options.objects);
    this.programs = options.programs ?? localPrograms();
    this.network = options.network ?? LoopbackNetwork.random();
    this.ownsRoot = options.root === undefined;
    this.root = options.root ?? mkdtempSync(join(tmpdir(), 'data-path-'));
    for (const [from, to] of Object.entries(options.externalOrigins ?? {})) this.network.mapOrigin(from, to);

    const { namespace, minio } = this.workload;
    // Services first, then the pods behind the headless one.
    const direct = new Set(options.directServices ?? []);
    for (const service of this.workload.services) {
      if (!service.headless && !direct.has(service.name)) this.network.assign(serviceNames(service.name, namespace));
    }
    const distributed = minio.replicas > 1;
    this.minioPods = Array.from({ length: minio.replicas }, (_, i) => ({
      name: `${minio.name}-${i}`,
      address: this.network.assign([podName(minio.name, i, minio.serviceName, namespace)]),
      portOf: (port: number) => port + (distributed ? PORT_STRIDE * i : 0),
      labels: minio.labels,
      spec: minio.container,
      ready: false,
    }));
    for (const name of direct) {
      const service = this.workload.services.find((s) => s.name === name && !s.headless);
      const pod = this.minioPods[0];
      if (!service || this.minioPods.length !== 1 || !selects(service.selector, pod.labels)
        || service.ports.some((p) => pod.portOf(containerPort(pod.spec, p.targetPort)) !== p.port)) {
        throw new Error(`Service ${name} cannot resolve straight to a pod: only a Service of the one MinIO pod, on the pod's port, can`);
      }
      this.network.assign(serviceNames(service.name, namespace), pod.address);
    }
    for (const service of this.workload.services.filter((s) => !s.headless && !direct.has(s.name))) {
      const address = this.network.resolve(serviceNames(service.name, namespace)[0])!;
      for (const port of service.ports) {
        this.servicePorts.push(new ServicePort(address, port.port, () => this.allPods()
          .filter((pod) => pod.process?.alive && selects(service.selector, pod.labels))
          .map((pod) => ({ address: pod.address, port: pod.portOf(containerPort(pod.spec, port.targetPort)), ready: pod.ready }))));
      }
    }
    this.probeTimer = setInterval(() => void this.probeRound(), options.probePeriodMs ?? 250);
  }

  /** The zone of each MinIO pod, as the StatefulSet's zone spread places them over `zones` zones. */
  get zones(): string[] {
    const spread = this.workload.minio.zoneSpread;
    if (!spread) throw new Error('the MinIO StatefulSet has no zone spread');
    if (!this.options.zones) throw new Error('the number of zones was not given');
    return spreadOverZones(this.workload.minio.replicas, this.options.zones, spread.maxSkew);
  }

  /** The ordinals of the MinIO pods in the zone that holds the most of them. */
  get largestZone(): number[] {
    const zones = this.zones;
    const counts = new Map<string, number[]>();
    zones.forEach((zone, i) => counts.set(zone, [...(counts.get(zone) ?? []), i]));
    return [...counts.values()].sort((a, b) => b.length - a.length)[0];
  }

  /** The value the stack uses for a Secret key (generated on first use). */
  secret(name: string, key: string): string {
    const id = `${name}/${key}`;
    let value = this.secretValues.get(id);
    if (value === undefined) {
      value = randomBytes(16).toString('hex');
      this.secretValues.set(id, value);
      this.redactor.add(value);
    }
    return value;
  }

  /** `http://<address>:<port>` of a Service port. */
  serviceUrl(name: string, port?: number): string {
    const address = this.network.resolve(serviceNames(name, this.workload.namespace)[0]);
    const service = this.workload.services.find((s) => s.name === name && !s.headless);
    if (!address || !service) throw new Error(`no Service ${name}`);
    return `http://${address}:${port ?? service.ports[0].port}`;
  }

  /** `http://<address>:<port>` of a MinIO pod's API, bypassing the Service. */
  minioPodUrl(ordinal: number): string {
    const pod = this.minioPods[ordinal];
    return `http://${pod.address}:${pod.portOf(containerPort(pod.spec, 'api'))}`;
  }

  /** Starts the MinIO pods (all by default) with fresh emptyDirs and their persistent drives. */
  startMinio(ordinals: number[] = this.minioPods.map((_, i) => i)): void {
    for (const i of ordinals) {
      const pod = this.minioPods[i];
      if (pod.process?.alive) throw new Error(`${pod.name} is running`);
      pod.ready = false;
      pod.process = this.start(this.plan(pod.name, this.workload.minio.container, { pod, ordinal: i }));
    }
  }

  /** Kills MinIO pods at once (a node or zone failure). */
  async killMinio(ordinals: number[]): Promise<void> {
    await Promise.all(ordinals.map(async (i) => {
      this.minioPods[i].ready = false;
      await this.minioPods[i].process?.kill();
    }));
    await this.probeRound();
  }

  /** Stops MinIO pods as the kubelet does (SIGTERM, then SIGKILL after the grace period). */
  async stopMinio(ordinals: number[] = this.minioPods.map((_, i) => i)): Promise<void> {
    await Promise.all(ordinals.map(async (i) => {
      this.minioPods[i].ready = false;
      await this.minioPods[i].process?.stop(30_000);
    }));
    await this.probeRound();
  }

  /** True while a MinIO pod's readiness probe, as the manifest gives it, passes (the Service sends to it). */
  minioReady(ordinal: number): boolean {
    return this.minioPods[ordinal].ready;
  }

  /** Output of a MinIO pod's current (or last) process. */
  minioOutput(ordinal: number): string {
    const p = this.minioPods[ordinal].process;
    return p ? `${p.stdout}\n${p.stderr}` : '';
  }

  /**
   * Waits until a MinIO health endpoint answers 200: `cluster` (write quorum), `cluster/read` (read
   * quorum), `ready`, or `cluster?maintenance=true` (write quorum would survive taking this pod
   * down, in the pod's own view of the drives: the check drain tooling uses); on any running pod,
   * or on each of `ordinals`.
   */
  async waitForMinio(
    check: 'cluster' | 'cluster/read' | 'ready' | 'live' | 'cluster?maintenance=true' = 'cluster',
    options: { ordinals?: number[]; timeoutMs?: number } = {},
  ): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const answers = (i: number) => this.minioPods[i].process?.alive
      && probe(this.minioPods[i].address, this.minioPods[i].portOf(containerPort(this.minioPods[i].spec, 'api')), `/minio/health/${check}`);
    // With ordinals, each must also be ready as the Service sees it (its readiness probe passed),
    // unless only liveness is asked for.
    const ready = (i: number) => check === 'live' || this.minioPods[i].ready;
    while (Date.now() < deadline) {
      const results = await Promise.all((options.ordinals ?? this.minioPods.map((_, i) => i)).map(answers));
      if (options.ordinals ? results.every(Boolean) && options.ordinals.every(ready) : results.some(Boolean)) return;
      await sleep(200);
    }
    throw new Error(`MinIO did not answer /minio/health/${check} within ${timeoutMs / 1000}s:\n${this.minioOutput(options.ordinals?.[0] ?? 0).slice(-3000)}`);
  }

  /** Runs a Job to its end as the Job controller would: pods until success, the backoff limit, a FailJob rule or the deadline. */
  async runJob(which: 'buckets' | 'seeder', overrides: { secrets?: Record<string, Record<string, string>> } = {}): Promise<JobResult> {
    const job: JobSpec = which === 'buckets' ? this.workload.bucketJob : this.workload.seederJob;
    const deadline = job.activeDeadlineSeconds ? Date.now() + job.activeDeadlineSeconds * 1000 : Infinity;
    const pods: PodRun[] = [];
    for (let failures = 0; ;) {
      const name = `${job.name}-${pods.length}`;
      const run = this.plan(name, job.container, { secrets: overrides.secrets, extraEnv: which === 'seeder' ? this.options.seederEnv : undefined });
      const process = this.start(run);
      const timer = setTimeout(() => void process.kill(), Math.max(0, deadline - Date.now()));
      const exit = await process.exited;
      clearTimeout(timer);
      pods.push({ pod: name, exit, stdout: process.stdout, stderr: process.stderr });
      if (exit.code === 0) return { succeeded: true, pods };
      if (exit.code !== null && job.failJobOnExitCodes.includes(exit.code)) return { succeeded: false, reason: 'PodFailurePolicy', pods };
      if (Date.now() >= deadline) return { succeeded: false, reason: 'DeadlineExceeded', pods };
      if (++failures > job.backoffLimit) return { succeeded: false, reason: 'BackoffLimitExceeded', pods };
      if (this.stopped) return { succeeded: false, reason: 'DeadlineExceeded', pods };
      await sleep((this.options.jobBackoffMs ?? 500) * 2 ** (failures - 1));
    }
  }

  /** Starts the s3www pods (the Deployment's replicas, or the autoscaler's minimum); needs the s3www binary. */
  startS3www(replicas: number = this.workload.s3www.replicas): void {
    if (!this.programs.s3www) {
      throw new Error('s3www is not built here (the Go module proxy refuses github.com/harshavardhana/s3www): set S3WWW_BINARY to an s3www v1.0.0 binary');
    }
    for (let i = 0; i < replicas; i++) {
      const pod: RunningPod = {
        name: `${this.workload.s3www.name}-${this.s3wwwPods.length}`,
        address: this.network.allocate(),
        portOf: (port) => port,
        labels: this.workload.s3www.labels,
        spec: this.workload.s3www.container,
        ready: false,
      };
      this.s3wwwPods.push(pod);
      pod.process = this.start(this.plan(pod.name, pod.spec, { pod }));
    }
  }

  /** The s3www processes (for their memory). */
  get s3wwwProcesses(): LocalProcess[] {
    return this.s3wwwPods.map((p) => p.process!).filter((p) => p?.alive);
  }

  /** The MinIO processes (for their memory). */
  get minioProcesses(): LocalProcess[] {
    return this.minioPods.map((p) => p.process!).filter((p) => p?.alive);
  }

  /** Waits until at least `count` s3www pods are ready (their readiness probe passes). */
  async waitForS3www(count: number = this.s3wwwPods.length, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.s3wwwPods.filter((p) => p.ready).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`s3www not ready within ${timeoutMs / 1000}s: ${this.s3wwwPods.map((p) => p.process?.stderr).join('\n')}`);
      }
      await sleep(100);
    }
  }

  /**
   * What s3www would do with its rendered flags: every flag checked against s3www v1.0.0's flag set,
   * the endpoint localized and the keys read from the files its Secret volume holds.
   */
  s3wwwView(): S3wwwView {
    const run = this.plan(`${this.workload.s3www.name}-view`, this.workload.s3www.container, {
      viewOnly: true,
      pod: { name: 'view', address: this.network.prefix + '254', portOf: (p) => p, labels: {}, spec: this.workload.s3www.container, ready: false },
    });
    const rendered = parseGoFlags(run.renderedArgv.slice(1));
    const local = parseGoFlags(run.argv.slice(1));
    const [host, port] = splitHostPort(rendered.address ?? '127.0.0.1:8080');
    const read = (file: string | undefined, flag: string) => {
      if (!file) throw new Error(`s3www has no -${flag}`);
      return readFileSync(file, 'utf8').trim();
    };
    return {
      flags: rendered,
      listen: { host, port },
      endpoint: local.endpoint,
      bucket: local.bucket,
      accessKey: read(local.accessKeyFile, 'accessKeyFile'),
      secretKey: read(local.secretKeyFile, 'secretKeyFile'),
    };
  }

  /**
   * Runs the real `mc` against an S3 endpoint (alias `t`) with the given keys, passed in the
   * environment (MC_HOST_t), never on the command line.
   */
  async mc(args: string[], as: S3Access): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const url = new URL(as.endpoint);
    url.username = encodeURIComponent(as.accessKey);
    url.password = encodeURIComponent(as.secretKey);
    this.redactor.add(as.accessKey, as.secretKey);
    const config = join(this.root, 'mc-config');
    mkdirSync(config, { recursive: true });
    const process = LocalProcess.start('mc', [this.programs.mc, '--no-color', ...args], {
      cwd: this.root,
      env: { PATH: '/usr/bin:/bin', HOME: config, MC_CONFIG_DIR: config, TMPDIR: config, MC_HOST_t: url.href.replace(/\/$/, '') },
      redactor: this.redactor,
    });
    this.processes.add(process);
    const exit = await process.exited;
    this.processes.delete(process);
    return { code: exit.code, stdout: process.stdout, stderr: process.stderr };
  }

  /** The root credentials as the MinIO pods get them (for checks that act as an admin). */
  get minioRoot(): S3Access {
    const env = this.workload.minio.container.env;
    const ref = (name: string) => env.find((e) => e.name === name)?.secret;
    const user = ref('MINIO_ROOT_USER');
    const password = ref('MINIO_ROOT_PASSWORD');
    if (!user || !password) throw new Error('the MinIO StatefulSet takes no root credentials from a Secret');
    return { endpoint: this.serviceUrl('minio'), accessKey: this.secret(user.name, user.key), secretKey: this.secret(password.name, password.key) };
  }

  /**
   * The container as it would run here (folders made, files written), without starting it.
   * `pod` places a MinIO or s3www pod; Jobs get an address of their own.
   */
  plan(name: string, spec: ContainerSpec, options: {
    pod?: RunningPod;
    ordinal?: number;
    secrets?: Record<string, Record<string, string>>;
    extraEnv?: Record<string, string>;
    /** Plans without needing the program (to read what the container would use). */
    viewOnly?: boolean;
  } = {}): ContainerRun {
    const folder = join(this.root, 'pods', `${name}.${this.incarnations++}`);
    const standIn = standInFor(spec.image);
    const provided = standIn.provides(this.programs);
    const renderedArgv = [...(spec.command ?? standIn.entrypoint ?? []), ...spec.args];
    if (renderedArgv.length === 0) throw new Error(`${spec.owner}: no command, and the image ${spec.image} has no known entrypoint`);
    const program = provided[renderedArgv[0]];
    if (!program && !options.viewOnly) throw new Error(`${spec.owner}: the image ${spec.image} provides no local program for ${renderedArgv[0]}`);

    // Volumes, longest mount path first so that nested mounts win.
    const mounts: Record<string, string> = {};
    for (const mount of [...spec.mounts].sort((a, b) => b.mountPath.length - a.mountPath.length)) {
      mounts[mount.mountPath] = this.volumeFolder(folder, mount, options.ordinal, options.secrets);
    }
    const localPath = (value: string) => localizePath(value, mounts);
    const pod = options.pod;
    const listen = (value: string): string => {
      const match = /^(0\.0\.0\.0)?:(\d+)$/.exec(value);
      if (!match || !pod) return value;
      return `${pod.address}:${pod.portOf(Number(match[2]))}`;
    };
    const localize = (value: string) => localPath(listen(this.network.rewrite(value)));

    // PATH holds the image's programs, then the system's (bash needs timeout, sleep...).
    const bin = join(folder, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const [command, path] of Object.entries(provided)) {
      if (path && !command.includes('/')) symlinkSync(path, join(bin, command));
    }
    const tmp = mounts['/tmp'] ?? mkdir(join(folder, 'tmp'));
    const env: Record<string, string> = {};
    for (const variable of spec.env) env[variable.name] = this.envValue(variable, options.secrets, localize);
    const harnessEnv: Record<string, string> = { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: tmp };
    // HOME is a folder of the image's filesystem that no volume holds: a folder of the pod here.
    const home = spec.env.find((e) => e.name === 'HOME')?.value;
    harnessEnv.HOME = home === undefined ? mkdir(join(folder, 'home')) : mounts[home] ?? mkdir(join(folder, 'rootfs', home));
    let args = renderedArgv.slice(1).map(localize);
    if (renderedArgv[0] === 'minio' && pod && options.ordinal !== undefined) {
      args = this.minioArgs(renderedArgv.slice(1), options.ordinal, args);
      if (this.minioPods.length > 1) {
        // MinIO sees /.dockerenv on container-built machines and then refuses endpoints that resolve
        // to loopback; this names its own endpoint host, as it reads for orchestrated deployments.
        harnessEnv._MINIO_SERVER_LOCAL = `${pod.address}:${pod.portOf(containerPort(spec, 'api'))}`;
        // The drive folders share the machine's root filesystem, which distributed MinIO refuses to use.
        harnessEnv.MINIO_ROOTDRIVE_THRESHOLD_SIZE = '1B';
      }
    }
    Object.assign(harnessEnv, options.extraEnv ?? {});
    const run: ContainerRun = {
      pod: name,
      spec,
      renderedArgv,
      argv: [program ?? renderedArgv[0], ...args],
      env: { ...env, ...harnessEnv },
      harnessEnv,
      mounts,
      folder,
    };
    return run;
  }

  /** Stops every process (SIGTERM, then SIGKILL), closes the Service ports and removes the stack's folder. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.probeTimer);
    await Promise.all([...this.processes].map((p) => p.stop(10_000)));
    await Promise.all(this.servicePorts.map((s) => s.close()));
    if (this.ownsRoot) rmSync(this.root, { recursive: true, force: true });
  }

  private start(run: ContainerRun): LocalProcess {
    if (this.stopped) throw new Error('the stack is stopped');
    const process = LocalProcess.start(run.pod, run.argv, { env: run.env, cwd: run.folder, redactor: this.redactor });
    this.processes.add(process);
    void process.exited.then(() => this.processes.delete(process));
    this.runs.push(run);
    return process;
  }

  private allPods(): RunningPod[] {
    return [...this.minioPods, ...this.s3wwwPods];
  }

  private async probeRound(): Promise<void> {
    if (this.probing || this.stopped) return;
    this.probing = true;
    try {
      await Promise.all(this.allPods().map(async (pod) => {
        const readiness = pod.spec.readinessProbe;
        if (!pod.process?.alive) {
          pod.ready = false;
        } else if (!readiness) {
          pod.ready = true;
        } else {
          const check = readiness.httpGet ?? readiness.tcpSocket!;
          pod.ready = await probe(pod.address, pod.portOf(containerPort(pod.spec, check.port)), readiness.httpGet?.path);
        }
      }));
      if (!this.stopped) await Promise.all(this.servicePorts.map((s) => s.sync()));
    } finally {
      this.probing = false;
    }
  }

  private envValue(variable: EnvVar, secrets: Record<string, Record<string, string>> | undefined, localize: (v: string) => string): string {
    if (variable.secret) {
      const override = secrets?.[variable.secret.name]?.[variable.secret.key];
      if (override !== undefined) this.redactor.add(override);
      return override ?? this.secret(variable.secret.name, variable.secret.key);
    }
    return localize(variable.value!);
  }

  /** The folder of one mount, filled as the kubelet fills the volume. */
  private volumeFolder(podFolder: string, mount: Mount, ordinal: number | undefined, secrets?: Record<string, Record<string, string>>): string {
    const source = mount.source;
    if (source.kind === 'claim') {
      if (ordinal === undefined) throw new Error(`claim ${source.claim} outside a StatefulSet pod`);
      return mkdir(join(this.root, 'claims', `${source.claim}-${this.workload.minio.name}-${ordinal}`));
    }
    const dir = mkdir(join(podFolder, 'volumes', mount.volume));
    if (source.kind === 'secret') {
      const items = source.items ?? [];
      if (items.length === 0) throw new Error(`Secret volume ${mount.volume} without items: the harness needs the keys named`);
      for (const item of items) {
        const value = secrets?.[source.secretName]?.[item.key] ?? this.secret(source.secretName, item.key);
        this.redactor.add(value);
        writeFileSync(join(dir, item.path), value, { mode: source.defaultMode ?? 0o644 });
        chmodSync(join(dir, item.path), source.defaultMode ?? 0o644);
      }
    } else if (source.kind === 'configMaps') {
      for (const name of source.names) {
        const configMap = this.workload.configMaps.get(name);
        if (!configMap) throw new Error(`ConfigMap ${name} (volume ${mount.volume}) is not in the manifests`);
        const files: Array<[string, Buffer]> = [
          ...Object.entries<string>(configMap.data ?? {}).map(([k, v]): [string, Buffer] => [k, Buffer.from(v, 'utf8')]),
          ...Object.entries<string>(configMap.binaryData ?? {}).map(([k, v]): [string, Buffer] => [k, Buffer.from(v, 'base64')]),
        ];
        for (const [file, bytes] of files) {
          if (existsSync(join(dir, file))) throw new Error(`projected volume ${mount.volume}: ${file} comes from two ConfigMaps`);
          writeFileSync(join(dir, file), bytes);
          chmodSync(join(dir, file), source.defaultMode ?? 0o644);
        }
      }
    }
    return dir;
  }

  /**
   * `minio server` arguments for pod `ordinal`: each volume argument expanded (MinIO's ellipses, in
   * MinIO's order) into endpoints with the pods' local addresses, ports and drive folders.
   */
  private minioArgs(rendered: string[], ordinal: number, localized: string[]): string[] {
    if (rendered[0] !== 'server') throw new Error(`minio ${rendered[0]}: the harness runs \`minio server\` only`);
    const out = ['server'];
    let i = 1;
    for (; i < rendered.length && !rendered[i].startsWith('-'); i++) {
      for (const endpoint of expandEllipses(rendered[i])) out.push(this.minioEndpoint(endpoint, ordinal, rendered));
    }
    return [...out, ...localized.slice(i)];
  }

  private minioEndpoint(endpoint: string, ordinal: number, rendered: string[]): string {
    const minio = this.workload.minio;
    const drivePath = (pod: number, path: string) => {
      const mount = minio.container.mounts.find((m) => m.mountPath === path);
      if (!mount || mount.source.kind !== 'claim') throw new Error(`MinIO drive ${path} is not a mounted claim template`);
      return mkdir(join(this.root, 'claims', `${mount.source.claim}-${minio.name}-${pod}`));
    };
    if (!endpoint.includes('://')) return drivePath(ordinal, endpoint);
    const url = new URL(endpoint);
    const pod = this.minioPods.findIndex((_, i) => podName(minio.name, i, minio.serviceName, this.workload.namespace) === url.hostname);
    if (pod < 0) throw new Error(`MinIO endpoint ${endpoint} names no pod of the StatefulSet`);
    const address = rendered[rendered.indexOf('--address') + 1] ?? ':9000';
    const port = Number(url.port || splitHostPort(address)[1]);
    return `${url.protocol}//${this.minioPods[pod].address}:${this.minioPods[pod].portOf(port)}${drivePath(pod, url.pathname)}`;
  }

  /** Fails early when an address the stack will listen on is taken. */
  private async checkAddressesFree(): Promise<void> {
    const wanted = [
      ...this.servicePorts.map((s) => [s.address, s.port] as const),
      ...this.minioPods.map((p) => [p.address, p.portOf(containerPort(p.spec, 'api'))] as const),
    ];
    for (const [address, port] of wanted) {
      if (!await isFree(address, port)) throw new Error(`${address}:${port} is taken: another process listens there`);
    }
  }
}

/** The container port a Service's targetPort (or a probe's port) names. */
function containerPort(spec: ContainerSpec, port: string | number): number {
  if (typeof port === 'number') return port;
  const found = spec.ports.find((p) => p.name === port);
  if (!found) throw new Error(`${spec.owner}: no container port named ${port}`);
  return found.containerPort;
}

/** A value that is a mount path, or a path under one, pointed into the mount's folder. */
export function localizePath(value: string, mounts: Record<string, string>): string {
  for (const [mountPath, local] of Object.entries(mounts).sort((a, b) => b[0].length - a[0].length)) {
    if (value === mountPath) return local;
    if (value.startsWith(`${mountPath}/`)) return local + value.slice(mountPath.length);
  }
  return value;
}

/**
 * MinIO's ellipses (`{0...3}`, zero-padded as written), expanded in MinIO's order: the first range
 * varies fastest (github.com/minio/pkg ellipses.ArgPattern.Expand, as `minio server` uses it).
 */
export function expandEllipses(arg: string): string[] {
  const pieces = arg.split(/\{(\d+)\.\.\.(\d+)\}/);
  const literals: string[] = [];
  const ranges: string[][] = [];
  for (let i = 0; i < pieces.length; i += 3) {
    literals.push(pieces[i]);
    if (i + 2 < pieces.length) {
      const [lo, hi] = [pieces[i + 1], pieces[i + 2]];
      const width = lo.length > 1 && lo.startsWith('0') ? lo.length : 0;
      const values: string[] = [];
      for (let n = Number(lo); n <= Number(hi); n++) values.push(String(n).padStart(width, '0'));
      if (values.length === 0) throw new Error(`invalid ellipsis range {${lo}...${hi}} in ${arg}`);
      ranges.push(values);
    }
  }
  if (arg.includes('{') && ranges.length === 0) throw new Error(`invalid ellipsis in ${arg}`);
  const total = ranges.reduce((n, r) => n * r.length, 1);
  const out: string[] = [];
  for (let k = 0; k < total; k++) {
    let rest = k;
    let text = literals[0];
    ranges.forEach((range, r) => {
      text += range[rest % range.length] + literals[r + 1];
      rest = Math.floor(rest / range.length);
    });
    out.push(text);
  }
  return out;
}

/** Go `flag` package parsing: `-name value`, `--name value`, `-name=value`, booleans without value. */
export function parseGoFlags(args: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--?([^=]+)(?:=(.*))?$/.exec(args[i]);
    if (!match) throw new Error(`s3www would stop at the non-flag argument ${JSON.stringify(args[i])}`);
    const [, name, inline] = match;
    if (!(name in S3WWW_FLAGS)) throw new Error(`s3www v1.0.0 exits 2 on -${name}: flag provided but not defined`);
    if (S3WWW_FLAGS[name]) {
      flags[name] = inline ?? 'true';
    } else if (inline !== undefined) {
      flags[name] = inline;
    } else {
      if (i + 1 >= args.length) throw new Error(`s3www v1.0.0 exits 2: flag needs an argument: -${name}`);
      flags[name] = args[++i];
    }
  }
  return flags;
}

function splitHostPort(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}

function mkdir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A presigned GET URL (AWS Signature Version 4, query string) for an object, path-style, valid for
 * `expiresSeconds`: a plain HTTP client (wrk, curl) can then GET it as MinIO's own clients would.
 */
export function presignGet(as: S3Access, bucket: string, key: string, expiresSeconds = 3600, region = 'us-east-1'): string {
  const url = new URL(as.endpoint);
  const now = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = now.slice(0, 8);
  const scope = `${day}/${region}/s3/aws4_request`;
  const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const path = `/${bucket}/${key.split('/').map(encode).join('/')}`;
  const query = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${as.accessKey}/${scope}`],
    ['X-Amz-Date', now],
    ['X-Amz-Expires', String(expiresSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ].map(([k, v]) => `${encode(k)}=${encode(v)}`).sort().join('&');
  const request = ['GET', path, query, `host:${url.host}\n`, 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', now, scope, createHash('sha256').update(request).digest('hex')].join('\n');
  const hmac = (k: Buffer | string, d: string) => createHmac('sha256', k).update(d).digest();
  const signingKey = ['s3', 'aws4_request'].reduce<Buffer>((k, d) => hmac(k, d), hmac(hmac(`AWS4${as.secretKey}`, day), region));
  return `${url.origin}${path}?${query}&X-Amz-Signature=${createHmac('sha256', signingKey).update(toSign).digest('hex')}`;
}
