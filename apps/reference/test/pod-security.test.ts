/**
 * The hand-written Pod Security checker (tools/testing/pod-security.ts), which the synth tests use
 * where no API server runs, against the real thing: Pod Security admission of a real API server
 * enforcing "restricted" on a namespace. For every pod spec we emit (every environment, as plain
 * manifests and as the stack applies them, and the libraries' default and largest configurations)
 * and for broken variants of each, both must reach the same verdict.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Minio, MetricsAuth, MinioTopology } from '@s3www-eks/minio';
import { S3www, Seeder } from '@s3www-eks/s3www';
import { App, Chart } from 'cdk8s';
import { NetworkPolicyIpBlock, NetworkPolicyPort, Pods } from 'cdk8s-plus-33';
import { KubernetesServer, startKubernetes } from '../../../tools/testing/kube-apiserver';
import { admitPod } from '../../../tools/testing/pod-admission';
import { FoundPodTemplate, findPodTemplates, restrictedProfileProblems } from '../../../tools/testing/pod-security';
import { EnvironmentName } from '../src/environment-config';
import { kubernetesObjectsInTemplate, synthesizeEnvironment } from '../src/synthesis';

type Json = Record<string, any>;

const NAMESPACE = 'restricted';
let server: KubernetesServer;
const base = mkdtempSync(join(tmpdir(), 'pod-security-'));

/** Every pod template we emit, by where it comes from. */
function emittedTemplates(): Array<{ from: string; template: FoundPodTemplate }> {
  const found: Array<{ from: string; template: FoundPodTemplate }> = [];
  for (const name of Object.values(EnvironmentName)) {
    const out = synthesizeEnvironment(name, { cdkOut: join(base, name, 'cdk.out'), manifests: join(base, name, 'manifests') });
    const applied = Object.values(out.templates).flatMap((t) => Object.values(kubernetesObjectsInTemplate(t)).flat());
    for (const template of findPodTemplates([...out.objects, ...applied])) found.push({ from: `${name}`, template });
  }
  const libraries: Record<string, (chart: Chart) => void> = {
    'minio defaults': (chart) => new Minio(chart, 'Minio', { credentials: { secretName: 'minio-root' }, buckets: [{ name: 'site' }] }),
    'minio largest': (chart) => new Minio(chart, 'Minio', {
      credentials: { secretName: 'minio-root' },
      topology: MinioTopology.distributed({ replicas: 8, drivesPerReplica: 2 }),
      buckets: [{ name: 'site' }, { name: 'logs' }],
      console: {},
      metrics: { auth: MetricsAuth.PUBLIC, serviceMonitor: {}, alerts: {}, dashboard: {} },
    }),
    's3www defaults': (chart) => new S3www(chart, 'S3www', { backend: { bucket: 'site', region: 'eu-west-1', workloadIdentity: {} } }),
    's3www largest': (chart) => {
      const backend = { bucket: 'site', endpoint: 'http://minio:9000', credentials: { secretName: 'minio' } };
      const minio = Pods.select(chart, 'Minio', { labels: { app: 'minio' } });
      const seeder = new Seeder(chart, 'Seeder', { namespace: 'site', backend, sources: [{ url: 'https://downloads.example.com/index.html' }] });
      const site = new S3www(chart, 'S3www', {
        namespace: 'site',
        backend,
        autoscaling: { minReplicas: 2, maxReplicas: 6 },
        ingress: { healthCheckPath: '/' },
        monitoring: { seeder },
      });
      for (const client of [site, seeder]) client.allowTo(minio, { ports: [NetworkPolicyPort.tcp(9000)] });
      site.allowFrom(NetworkPolicyIpBlock.ipv4(chart, 'Vpc', '10.0.0.0/16'));
    },
    'seeder defaults': (chart) => new Seeder(chart, 'Seeder', {
      backend: { bucket: 'site', region: 'eu-west-1', workloadIdentity: {} }, sources: [{ url: 'https://downloads.example.com/index.html' }],
    }),
  };
  for (const [from, build] of Object.entries(libraries)) {
    const chart = new Chart(new App(), 'test');
    build(chart);
    for (const template of findPodTemplates(chart.toJson())) found.push({ from, template });
  }
  return found;
}

/** Broken variants of a pod spec: each breaks "restricted" (or "baseline") in one way. */
const VARIANTS: Record<string, (spec: Json) => void> = {
  // (allowPrivilegeEscalation: false with privileged: true is invalid for any namespace: unset it)
  'privileged container': (s) => { s.containers[0].securityContext = { ...s.containers[0].securityContext, privileged: true, allowPrivilegeEscalation: undefined }; },
  'privilege escalation allowed': (s) => { s.containers[0].securityContext = { ...s.containers[0].securityContext, allowPrivilegeEscalation: true }; },
  'runAsNonRoot not set': (s) => {
    delete s.securityContext?.runAsNonRoot;
    for (const c of s.containers) delete c.securityContext?.runAsNonRoot;
    for (const c of s.initContainers ?? []) delete c.securityContext?.runAsNonRoot;
  },
  'runs as root': (s) => { s.containers[0].securityContext = { ...s.containers[0].securityContext, runAsUser: 0 }; },
  'capabilities not dropped': (s) => { s.containers[0].securityContext = { ...s.containers[0].securityContext, capabilities: {} }; },
  'capability added': (s) => { s.containers[0].securityContext = { ...s.containers[0].securityContext, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } }; },
  'no seccomp profile': (s) => {
    delete s.securityContext?.seccompProfile;
    for (const c of [...s.containers, ...(s.initContainers ?? [])]) delete c.securityContext?.seccompProfile;
  },
  'host network': (s) => { s.hostNetwork = true; },
  'host path volume': (s) => { s.volumes = [...(s.volumes ?? []), { name: 'host', hostPath: { path: '/var/run' } }]; },
  'host port': (s) => { s.containers[0].ports = [{ containerPort: 9999, hostPort: 9999 }]; },
  'unsafe sysctl': (s) => { s.securityContext = { ...s.securityContext, sysctls: [{ name: 'kernel.msgmax', value: '65536' }] }; },
};

beforeAll(async () => {
  server = await startKubernetes();
  const ns = await server.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
  });
  expect(ns.status).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  rmSync(base, { recursive: true, force: true });
});

test('the checker and Pod Security admission agree on every pod spec we emit, and on broken variants of each', async () => {
  const templates = emittedTemplates();
  expect(templates.length).toBeGreaterThan(10);
  // The pods' service accounts exist, as the manifests create them (and `default`, as the controller-manager would).
  const accounts = new Set(['default', ...templates.map((t) => t.template.spec.serviceAccountName).filter((n) => n)]);
  for (const name of accounts) {
    const res = await server.request('POST', `/api/v1/namespaces/${NAMESPACE}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    expect([201, 409]).toContain(res.status);
  }
  const disagreements: string[] = [];
  let rejectedVariants = 0;
  for (const { from, template } of templates) {
    const cases: Array<[string, Json]> = [['as emitted', template.spec]];
    for (const [variant, breakIt] of Object.entries(VARIANTS)) {
      const spec = structuredClone(template.spec);
      breakIt(spec);
      cases.push([variant, spec]);
    }
    for (const [variant, spec] of cases) {
      const verdict = await admitPod(server, { ...template, spec }, NAMESPACE);
      const checker = restrictedProfileProblems(spec);
      const serverRejects = verdict.rejection !== undefined;
      if (serverRejects && !verdict.rejection!.includes('violates PodSecurity "restricted:latest"')) {
        disagreements.push(`${from} ${template.owner} (${variant}): rejected for another reason: ${verdict.rejection}`);
      } else if (serverRejects !== (checker.length > 0)) {
        disagreements.push(`${from} ${template.owner} (${variant}): server ${serverRejects ? `rejects (${verdict.rejection})` : 'admits'}, checker ${checker.length ? `finds ${checker.join('; ')}` : 'finds nothing'}`);
      }
      if (variant === 'as emitted' && serverRejects) disagreements.push(`${from} ${template.owner}: an emitted pod spec is rejected`);
      if (variant !== 'as emitted' && serverRejects) rejectedVariants++;
    }
  }
  expect(disagreements).toEqual([]);
  // every broken variant was a real violation, for the server as for the checker
  expect(rejectedVariants).toBe(templates.length * Object.keys(VARIANTS).length);
});
