/**
 * A real Kubernetes API server for tests: etcd and kube-apiserver (tools/programs/build.js builds
 * both at pinned versions) started on 127.0.0.1 by the test file that needs them, and stopped by it.
 *
 * - Authentication is real: a bearer token from a token file made at start, mapped to a user in
 *   `system:masters` (cluster-admin through the bootstrap RBAC policy); authorization is Node,RBAC.
 *   Other users named at start get tokens of their own and no group: RBAC objects decide what they may do
 *   ({@link KubernetesServer.kubectlAs}).
 * - TLS is real: a CA and a serving certificate for 127.0.0.1 made at start with openssl.
 * - Service-account tokens are signed with a key pair made at start.
 * - Admission is the server's default plugin set (no flag changes it): NamespaceLifecycle,
 *   ServiceAccount, PodSecurity, LimitRanger, ResourceQuota, ValidatingAdmissionPolicy, and so on.
 *   Pod Security admission runs with its defaults, so the namespace labels decide.
 * - Privileged containers are allowed (`--allow-privileged`), as on EKS: Pod Security, not the
 *   server's flag, is what keeps them out of a namespace.
 *
 * No controller-manager runs: nothing creates pods, volume claims or a namespace's `default`
 * ServiceAccount, nothing finishes a namespace's deletion and nothing fills the aggregated ClusterRoles
 * (`admin`, `edit`, `view`). {@link KubernetesServer.reset} and {@link KubernetesServer.aggregateClusterRoles}
 * do the two last themselves, as the namespace and clusterrole-aggregation controllers would.
 *
 * Everything lives in one folder under os.tmpdir() (the test run's scratch folder), removed on stop;
 * a watchdog kills the servers and removes the folder if the test process dies first.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { request as httpsRequest } from 'https';
import { tmpdir } from 'os';
import { join } from 'path';
import { freePort } from './moto';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const programs = require('../programs/build.js') as { programPath(name: string): string; pinnedVersion(name: string): string };

type Json = Record<string, any>;

/** What a kubectl run gave back. */
export interface KubectlResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Answer of a raw API request. */
export interface ApiResponse {
  readonly status: number;
  readonly body: Json;
  /** The server's warnings (`Warning` headers), e.g. Pod Security `warn` and deprecations. */
  readonly warnings: string[];
}

/** A running API server. */
export interface KubernetesServer {
  /** `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** A kubeconfig file for the cluster-admin user (token authentication). */
  readonly kubeconfig: string;
  /** The server's folder (certificates, kubeconfig, logs, etcd data); removed on stop. */
  readonly dir: string;
  /** Version the server reports (`/version` gitVersion). */
  readonly version: string;
  /** Environment for programs that talk to the server (kubectl's cache goes into the server's folder). */
  readonly env: Record<string, string>;
  /** Runs the pinned kubectl against the server as the cluster-admin user. */
  kubectl(args: string[], input?: string): KubectlResult;
  /** Runs kubectl and throws with its output when it fails. */
  kubectlOk(args: string[], input?: string): string;
  /** Runs the pinned kubectl as one of the `users` named at start, with its own token and kubeconfig. */
  kubectlAs(user: string, args: string[], input?: string): KubectlResult;
  /** A raw request as the cluster-admin user; `path` starts with /api or /apis. */
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiResponse>;
  /**
   * Deletes every namespace and every cluster-scoped object made since the baseline (the server as
   * started, or as {@link markBaseline} last saw it), emptying and finalizing the namespaces as the
   * namespace controller would.
   */
  reset(): Promise<void>;
  /** Takes the cluster as it is now (e.g. with CRDs installed) as what {@link reset} goes back to. */
  markBaseline(): Promise<void>;
  /** Creates a namespace's `default` ServiceAccount, as the controller-manager would. */
  createDefaultServiceAccount(namespace: string): Promise<void>;
  /**
   * Gives every ClusterRole with an aggregation rule (`admin`, `edit`, `view` among the bootstrap ones) the
   * rules of the ClusterRoles its selectors match, as the controller-manager's clusterrole-aggregation
   * controller would; until then their rules are empty. Run it again after adding roles that aggregate.
   */
  aggregateClusterRoles(): Promise<void>;
  /** Stops the servers and removes the folder (idempotent). */
  stop(): Promise<void>;
}

/** Namespaces the API server makes itself. */
const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

/** Options of {@link startKubernetes}. */
export interface KubernetesOptions {
  /** How long to wait for the API server to be ready (default 60 s). */
  readonly timeoutMs?: number;
  /**
   * Users besides the cluster-admin, each authenticated by a token of its own and in no group (the server
   * adds `system:authenticated`): they may do only what RBAC objects grant them. Default: none.
   */
  readonly users?: string[];
}

/** Starts etcd and kube-apiserver on 127.0.0.1 and resolves once the API server is ready. */
export async function startKubernetes(options: KubernetesOptions = {}): Promise<KubernetesServer> {
  for (const dir of ['/opt/kubectl', '/opt/awscli']) {
    // The kubectl handler puts these first on its PATH (the Lambda layers); here they would shadow ours.
    if (existsSync(dir)) throw new Error(`${dir} exists on this machine: it would shadow the pinned kubectl in the kubectl handler's PATH`);
  }
  const etcdBin = programs.programPath('etcd');
  const apiserverBin = programs.programPath('kube-apiserver');
  const kubectlBin = programs.programPath('kubectl');
  const dir = mkdtempSync(join(tmpdir(), 'kube-apiserver-'));
  const children: ChildProcess[] = [];
  let watchdog: ChildProcess | undefined;
  const stopAll = async () => {
    for (const child of [...children].reverse()) await stopChild(child);
    watchdog?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pki = makeCertificates(dir);
    const token = randomBytes(24).toString('hex');
    const tokens = join(dir, 'tokens.csv');
    const users = options.users ?? [];
    for (const user of users) {
      if (!/^[a-z0-9][a-z0-9.:@-]*$/.test(user) || user === 's3www-eks-test-admin') throw new Error(`user ${JSON.stringify(user)}: a new lowercase name without commas or quotes`);
    }
    const userTokens = new Map(users.map((user) => [user, randomBytes(24).toString('hex')]));
    writeFileSync(tokens, [
      `${token},s3www-eks-test-admin,s3www-eks-test-admin,"system:masters"`,
      ...[...userTokens].map(([user, userToken]) => `${userToken},${user},${user}`),
    ].join('\n') + '\n', { mode: 0o600 });
    const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
    const url = `https://127.0.0.1:${securePort}`;

    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    children.push(startChild(etcdBin, [
      '--name', 'test', '--data-dir', join(dir, 'etcd'),
      '--listen-client-urls', etcdUrl, '--advertise-client-urls', etcdUrl,
      '--listen-peer-urls', `http://127.0.0.1:${etcdPeer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${etcdPeer}`,
      '--initial-cluster', `test=http://127.0.0.1:${etcdPeer}`,
      // A test cluster's data need not survive a power cut: no fsync makes every write much faster.
      '--unsafe-no-fsync',
    ], join(dir, 'etcd.log')));
    children.push(startChild(apiserverBin, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${securePort}`,
      `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`, `--cert-dir=${join(dir, 'certs')}`,
      `--token-auth-file=${tokens}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPublic}`, `--service-account-signing-key-file=${pki.saPrivate}`,
      '--service-cluster-ip-range=10.100.0.0/16',
      '--allow-privileged=true',
      '--profiling=false',
    ], join(dir, 'kube-apiserver.log')));
    watchdog = startWatchdog(children.map((c) => c.pid!), dir);

    const writeKubeconfig = (file: string, user: string, userToken: string) => writeFileSync(file, JSON.stringify({
      'apiVersion': 'v1',
      'kind': 'Config',
      'clusters': [{ name: 'test', cluster: { 'server': url, 'certificate-authority': pki.caCert } }],
      'users': [{ name: user, user: { token: userToken } }],
      'contexts': [{ name: 'test', context: { cluster: 'test', user } }],
      'current-context': 'test',
    }), { mode: 0o600 });
    const kubeconfig = join(dir, 'kubeconfig');
    writeKubeconfig(kubeconfig, 's3www-eks-test-admin', token);
    const userKubeconfigs = new Map([...userTokens].map(([user, userToken]) => {
      const file = join(dir, `kubeconfig-${user.replace(/[^a-z0-9.-]/g, '_')}`);
      writeKubeconfig(file, user, userToken);
      return [user, file];
    }));
    const ca = readFileSync(pki.caCert);
    const request = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
      apiRequest({ url, ca, token }, method, path, body, contentType);

    await waitReady(request, children, dir, options.timeoutMs ?? 60_000);
    const env: Record<string, string> = { ...process.env as Record<string, string>, HOME: join(dir, 'home'), KUBECONFIG: kubeconfig };
    const version = (await request('GET', '/version')).body.gitVersion;
    const kubectlWith = (config: string, args: string[], input?: string): KubectlResult => {
      const run = spawnSync(kubectlBin, ['--kubeconfig', config, ...args], { env, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      if (run.error) throw run.error;
      return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
    };
    const kubectl = (args: string[], input?: string) => kubectlWith(kubeconfig, args, input);
    let baseline = await clusterScopedObjects(request);
    let stopped: Promise<void> | undefined;
    return {
      url,
      kubeconfig,
      dir,
      version,
      env,
      kubectl,
      request,
      kubectlOk(args, input) {
        const run = kubectl(args, input);
        if (run.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed (exit ${run.status}):\n${run.stderr}${run.stdout}`);
        return run.stdout;
      },
      kubectlAs(user, args, input) {
        const config = userKubeconfigs.get(user);
        if (!config) throw new Error(`no user ${user} on this server: name it in startKubernetes({ users })`);
        return kubectlWith(config, args, input);
      },
      async aggregateClusterRoles() {
        await aggregateClusterRoles(request);
      },
      async markBaseline() {
        baseline = await clusterScopedObjects(request);
      },
      async reset() {
        await resetCluster(request, baseline);
      },
      async createDefaultServiceAccount(namespace) {
        const res = await request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
        if (res.status !== 201 && res.status !== 409) throw new Error(`creating ${namespace}/default ServiceAccount: ${res.status} ${JSON.stringify(res.body)}`);
      },
      stop() {
        stopped ??= stopAll();
        return stopped;
      },
    };
  } catch (err) {
    const logs = ['etcd.log', 'kube-apiserver.log'].map((f) => join(dir, f)).filter(existsSync)
      .map((f) => `--- ${f.split('/').pop()} (last lines)\n${readFileSync(f, 'utf8').split('\n').slice(-25).join('\n')}`).join('\n');
    await stopAll();
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
}

interface Pki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly saPrivate: string;
  readonly saPublic: string;
}

/** A CA, a serving certificate for 127.0.0.1 signed by it, and the service-account key pair. */
function makeCertificates(dir: string): Pki {
  const p = (name: string) => join(dir, name);
  const openssl = (args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      throw new Error(`openssl ${args[0]} failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? (err as Error).message}`);
    }
  };
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '2', '-subj', '/CN=s3www-eks-test-ca']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=kube-apiserver']);
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial',
    '-out', p('server.crt'), '-days', '2', '-extfile', p('server.ext')]);
  openssl(['genrsa', '-out', p('sa.key'), '2048']);
  openssl(['rsa', '-in', p('sa.key'), '-pubout', '-out', p('sa.pub')]);
  return { caCert: p('ca.crt'), serverCert: p('server.crt'), serverKey: p('server.key'), saPrivate: p('sa.key'), saPublic: p('sa.pub') };
}

function startChild(bin: string, args: string[], log: string): ChildProcess {
  // Logs go to files: a pipe nobody drains while a test blocks in spawnSync would stall the server.
  const fd = openSync(log, 'a');
  try {
    return spawn(bin, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

/** Kills the servers and removes the folder should this process die without stopping them. */
function startWatchdog(pids: number[], dir: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${pids.join(' ')} 2>/dev/null; rm -rf '${dir}'`;
  const child = spawn('sh', ['-c', script], { stdio: 'ignore', detached: true });
  child.unref();
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

type Request = (method: string, path: string, body?: unknown, contentType?: string) => Promise<ApiResponse>;

interface Endpoint {
  readonly url: string;
  readonly ca: Buffer;
  readonly token: string;
}

function apiRequest(server: Endpoint, method: string, path: string, body: unknown, contentType: string): Promise<ApiResponse> {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${server.url}${path}`, {
      method,
      ca: server.ca,
      headers: {
        Authorization: `Bearer ${server.token}`,
        Accept: 'application/json',
        ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Json;
        try {
          parsed = text ? JSON.parse(text) : {};
        } catch {
          parsed = { text };
        }
        // Warning: 299 - "text" (several are joined with commas)
        const header = [res.headers.warning ?? []].flat().join(', ');
        const warnings = [...header.matchAll(/299 - "((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
        resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
      });
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function waitReady(request: Request, children: ChildProcess[], dir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exitCode !== null || c.signalCode !== null);
    if (dead) throw new Error(`${dead.spawnfile} exited (${dead.exitCode ?? dead.signalCode}) before the API server was ready (logs in ${dir})`);
    try {
      const res = await request('GET', '/readyz');
      if (res.status === 200) return;
      last = `readyz ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API server was not ready within ${timeoutMs / 1000} s (${last})`);
}

/**
 * What the clusterrole-aggregation controller does: each aggregated ClusterRole gets the rules of the
 * ClusterRoles its selectors select, again until nothing changes (aggregated roles aggregate each other:
 * `view` is labelled to aggregate into `edit`, `edit` into `admin`).
 */
async function aggregateClusterRoles(request: Request): Promise<void> {
  const roles = (await request('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')).body.items as Json[];
  const matches = (labels: Record<string, string>, selector: Json) =>
    Object.entries<string>(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const aggregated = roles.filter((r) => r.aggregationRule);
  for (const role of aggregated) {
    if ((role.aggregationRule.clusterRoleSelectors as Json[]).some((s) => (s.matchExpressions ?? []).length > 0)) {
      throw new Error(`ClusterRole ${role.metadata.name}: matchExpressions are not emulated`);
    }
  }
  const changed = new Set<Json>();
  for (let pass = 0, growing = true; growing; pass++) {
    if (pass > 10) throw new Error('the ClusterRole aggregation did not settle in 10 passes');
    growing = false;
    for (const role of aggregated) {
      const selectors = role.aggregationRule.clusterRoleSelectors as Json[];
      const rules: Json[] = [...(role.rules ?? [])];
      const seen = new Set(rules.map((r) => JSON.stringify(r)));
      for (const source of roles) {
        if (source === role || !selectors.some((s) => matches(source.metadata.labels ?? {}, s))) continue;
        for (const rule of source.rules ?? []) {
          const key = JSON.stringify(rule);
          if (!seen.has(key)) {
            rules.push(rule);
            seen.add(key);
            growing = true;
            changed.add(role);
          }
        }
      }
      role.rules = rules;
    }
  }
  for (const role of changed) {
    const res = await request('PATCH', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role.metadata.name}`, { rules: role.rules }, 'application/merge-patch+json');
    if (res.status !== 200) throw new Error(`aggregating ClusterRole ${role.metadata.name}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

interface ApiResource {
  readonly path: string;
  readonly name: string;
  readonly namespaced: boolean;
  readonly verbs: string[];
}

/** Every listable, deletable resource type the server serves now (CRDs included), at its preferred version. */
async function apiResources(request: Request): Promise<ApiResource[]> {
  const groupVersions = ['/api/v1'];
  const groups = (await request('GET', '/apis')).body.groups as Json[];
  for (const group of groups) groupVersions.push(`/apis/${group.preferredVersion.groupVersion}`);
  const out: ApiResource[] = [];
  for (const path of groupVersions) {
    const list = (await request('GET', path)).body;
    for (const r of list.resources ?? []) {
      if (r.name.includes('/') || !r.verbs.includes('list') || !r.verbs.includes('delete')) continue;
      out.push({ path, name: r.name, namespaced: r.namespaced, verbs: r.verbs });
    }
  }
  return out;
}

async function clusterScopedObjects(request: Request): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const r of (await apiResources(request)).filter((x) => !x.namespaced)) {
    for (const item of (await request('GET', `${r.path}/${r.name}`)).body.items ?? []) keys.add(`${r.path}/${r.name}/${item.metadata.name}`);
  }
  return keys;
}

/** What the namespace controller and the garbage collector would do, for everything made since the baseline. */
async function resetCluster(request: Request, baseline: Set<string>): Promise<void> {
  const resources = await apiResources(request);
  const namespaces = ((await request('GET', '/api/v1/namespaces')).body.items as Json[])
    .map((n) => n.metadata.name as string).filter((n) => !SYSTEM_NAMESPACES.includes(n));
  const mustDelete = async (path: string) => {
    // Background propagation: no `orphan` finalizer that only the garbage collector would remove.
    const res = await request('DELETE', `${path}?propagationPolicy=Background`);
    if (res.status >= 300 && res.status !== 404) throw new Error(`DELETE ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  for (const ns of namespaces) {
    for (const r of resources.filter((x) => x.namespaced)) {
      const base = `${r.path}/namespaces/${ns}/${r.name}`;
      const items = (await request('GET', base)).body.items as Json[] | undefined ?? [];
      for (const item of items) {
        const path = `${base}/${item.metadata.name}`;
        if (item.metadata.finalizers?.length) {
          // e.g. kubernetes.io/pvc-protection, which a controller removes once no pod uses the claim
          await request('PATCH', path, { metadata: { finalizers: null } }, 'application/merge-patch+json');
        }
        await mustDelete(path);
      }
    }
    await mustDelete(`/api/v1/namespaces/${ns}`);
    const finalize = await request('PUT', `/api/v1/namespaces/${ns}/finalize`, {
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, spec: { finalizers: [] },
    });
    if (finalize.status >= 300 && finalize.status !== 404) throw new Error(`finalizing namespace ${ns}: ${finalize.status} ${JSON.stringify(finalize.body)}`);
  }
  for (const r of resources.filter((x) => !x.namespaced && x.name !== 'namespaces')) {
    for (const item of (await request('GET', `${r.path}/${r.name}`)).body.items ?? []) {
      const key = `${r.path}/${r.name}/${item.metadata.name}`;
      if (!baseline.has(key)) await mustDelete(key);
    }
  }
  // Namespaces go once their finalizers are gone; wait so that the next case can create them again.
  const deadline = Date.now() + 30_000;
  for (const ns of namespaces) {
    while ((await request('GET', `/api/v1/namespaces/${ns}`)).status !== 404) {
      if (Date.now() > deadline) throw new Error(`namespace ${ns} was not deleted within 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
