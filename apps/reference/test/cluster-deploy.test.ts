/**
 * Deploy emulation against a real Kubernetes API server (etcd and kube-apiserver 1.36, built from
 * their Go modules by tools/programs/build.js), for every environment:
 *
 * 1. the synthesized template's kubectl custom resources, in CloudFormation's dependency order, each
 *    created by the real aws-eks-v2 kubectl handler of the pinned aws-cdk-lib (`kubectl create
 *    --save-config`, with kubectl's default validation, which in kubectl 1.36 is `--validate=strict`:
 *    the server's strict field validation rejects unknown and duplicate fields);
 * 2. every object kept by the server with exactly the last-applied copy kubectl computed, within our
 *    200 KiB limit (the server allows 256 KiB of annotations);
 * 3. every pod template admitted as the Pod a controller would create, in its namespace, by Pod
 *    Security admission at the namespace's enforced level;
 * 4. the plain manifests, applied with the commands of their README.
 *
 * CRDs, as their Helm charts would install them (tools/programs/crds.js): ServiceMonitor, PodMonitor,
 * Probe, PrometheusRule and the other monitoring.coreos.com CRDs from the Go module
 * github.com/prometheus-operator/prometheus-operator v0.93.0 (example/prometheus-operator-crd, what
 * kube-prometheus-stack 88.1.3 installs); SecretStore, ExternalSecret and the other external-secrets.io
 * CRDs from the Go module github.com/external-secrets/external-secrets v1.3.2 (config/crds/bases; the
 * pinned chart 2.7.0 runs v2.7.0, which no registry serves: see crds.js).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CrdSet, handle, HELM_RELEASES, kubectlCommands, OBJECT_VALUE_REASON, stackOf, startClusterWithCrds, Step, stepProblems } from './deploy-support';
import { KubernetesServer } from '../../../tools/testing/kube-apiserver';
import { KubectlHandler, KUBECTL_TYPES, kubectlResources, resolveTokens, TemplateResource } from '../../../tools/testing/kubectl-provider';
import { kubectlObjectBytes, LAST_APPLIED, lastAppliedConfiguration, MAX_OBJECT_BYTES } from '../../../tools/testing/limits';
import { podAdmissionProblems } from '../../../tools/testing/pod-admission';
import { EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { manifestsReadme } from '../src/main-job';
import { synthesizeEnvironment, SynthesizedEnvironment } from '../src/synthesis';

type Json = Record<string, any>;

let server: KubernetesServer;
let crds: CrdSet[];
let handler: KubectlHandler;
const base = mkdtempSync(join(tmpdir(), 'cluster-deploy-'));

beforeAll(async () => {
  ({ server, crds } = await startClusterWithCrds());
  handler = new KubectlHandler(server);
});

afterAll(async () => {
  await server?.stop();
  rmSync(base, { recursive: true, force: true });
});

test('the server is the pinned Kubernetes 1.36 with the CRDs of the pinned operators', async () => {
  expect(server.version).toMatch(/^v1\.36\.\d+$/);
  const names = ((await server.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).body.items as Json[]).map((c) => c.metadata.name);
  expect(names).toEqual(expect.arrayContaining([
    'servicemonitors.monitoring.coreos.com', 'probes.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com',
    'secretstores.external-secrets.io', 'externalsecrets.external-secrets.io', 'clustersecretstores.external-secrets.io',
  ]));
});

describe.each(Object.values(EnvironmentName))('environment %s', (name) => {
  let out: SynthesizedEnvironment;
  let template: Json;
  let resources: TemplateResource[];
  let steps: Step[] = [];
  /** The objects each manifest custom resource applied, its tokens resolved. */
  const applied: Record<string, Json[]> = {};

  beforeAll(async () => {
    out = synthesizeEnvironment(name, { cdkOut: join(base, name, 'cdk.out'), manifests: join(base, name, 'manifests', name) });
    template = out.templates[`${out.stackName}.template.json`];
    resources = kubectlResources(template);
    await server.reset();
  });

  test('its Helm releases pin the chart versions whose CRDs are installed', () => {
    const charts = resources.filter((r) => r.type === KUBECTL_TYPES.helm).map((r) => r.properties);
    expect(charts.length).toBeGreaterThan(0);
    for (const set of crds) {
      const chart = charts.find((c) => c.Chart === set.chart);
      if (chart) expect(`${set.chart} ${chart.Version}`).toBe(`${set.chart} ${set.chartVersion}`);
    }
  });

  test('the real kubectl handler creates every manifest, in CloudFormation order, without an error or a warning', () => {
    steps = resources.map((r) => handle(handler, 'Create', r, template, stackOf(name)));
    const ran = steps.filter((s) => s.run);
    for (const step of ran) applied[step.resource.id] = JSON.parse(resolveTokens(step.resource.properties.Manifest, template, stackOf(name)));
    expect(stepProblems(steps)).toEqual([]);
    expect(ran.map((s) => s.resource.type)).toEqual(resources.filter((r) => r.type === KUBECTL_TYPES.manifest).map(() => KUBECTL_TYPES.manifest));
    for (const step of ran) {
      // the handler's create path, logged in to this environment's cluster
      expect(kubectlCommands(step.run!)).toEqual([expect.arrayContaining(['kubectl', 'create', '-f', '--save-config'])]);
      expect(step.run!.clusters).toEqual([ENVIRONMENTS[name].clusterName]);
    }
    // the namespaces exist before what goes into them: the workload before the credentials sync
    const order = ran.map((s) => s.resource.id);
    expect(order.findIndex((id) => id.includes('Workload'))).toBeLessThan(order.findIndex((id) => id.includes('MinioCredentials')));
  });

  test('only the Helm releases and the ALB host lookup are not applied, each with its reason', () => {
    const skipped = steps.filter((s) => s.skipped);
    expect(skipped.map((s) => s.resource.type).sort()).toEqual(
      resources.filter((r) => r.type === KUBECTL_TYPES.helm || r.type === KUBECTL_TYPES.objectValue).map((r) => r.type).sort());
    for (const step of skipped) {
      const reason = step.resource.type === KUBECTL_TYPES.helm ? HELM_RELEASES[step.resource.properties.Chart].reason : OBJECT_VALUE_REASON;
      expect(step.skipped).toContain(reason);
    }
  });

  test('the server keeps every object with the last-applied copy kubectl computed, within 200 KiB', () => {
    const objects = Object.values(applied).flat();
    expect(objects.length).toBeGreaterThan(out.objects.length);
    const file = join(base, name, 'applied.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    const stored = JSON.parse(server.kubectlOk(['get', '-f', file, '-o', 'json'])).items as Json[];
    expect(stored).toHaveLength(objects.length);
    objects.forEach((obj, i) => {
      expect(`${stored[i].kind} ${stored[i].metadata.name}`).toBe(`${obj.kind} ${obj.metadata.name}`);
      expect(stored[i].metadata.annotations[LAST_APPLIED]).toBe(lastAppliedConfiguration(obj));
    });
    const over = objects.filter((o) => kubectlObjectBytes(o) > MAX_OBJECT_BYTES).map((o) => `${o.kind} ${o.metadata.name}: ${kubectlObjectBytes(o)} bytes`);
    expect(over).toEqual([]);
  });

  test('Pod Security admission admits the Pod of every pod template, at its namespace\'s enforced level', async () => {
    const objects = Object.values(applied).flat();
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    expect(namespaces.find((n) => n.metadata.name === ENVIRONMENTS[name].namespace)?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // The ServiceAccount admission looks the pod's account up; no controller-manager made `default`.
    for (const ns of namespaces) await server.createDefaultServiceAccount(ns.metadata.name);
    expect(await podAdmissionProblems(server, objects)).toEqual([]);
  });

  test('the plain manifests apply with the commands of their README, strictly validated, without a warning', async () => {
    await server.reset();
    const readme = manifestsReadme([name]);
    const block = readme.slice(readme.indexOf('```bash\n') + 8, readme.indexOf('\n```', readme.indexOf('```bash')));
    const commands = block.replace(/\\\n\s*/g, '').split('\n').filter((l) => l.startsWith('kubectl') && !l.includes('port-forward'));
    // the namespace, the Secret of each MinIO identity (root, s3www's, the seeder's), then everything
    expect(commands).toHaveLength(5);
    const shell = (command: string) => {
      const run = spawnSync('sh', ['-c', `${command} 2>&1`], {
        cwd: join(base, name, 'manifests'),
        env: { ...server.env, ENV: name, PATH: `${join(server.dir, 'kubectl-handler-bin')}:${process.env.PATH}` },
        encoding: 'utf8',
      });
      return { command, status: run.status, output: run.stdout.split('\n').filter((l) => l !== '') };
    };
    const last = commands.pop()!;
    const expectOk = (run: ReturnType<typeof shell>) => expect(run.status === 0 ? 'exit 0' : `${run.command}: exit ${run.status}\n${run.output.join('\n')}`).toBe('exit 0');
    for (const command of commands) expectOk(shell(command));
    // the last command first as a server-side dry run with strict field validation, then for real
    for (const command of [`${last} --dry-run=server --validate=strict`, last]) {
      const run = shell(command);
      expectOk(run);
      expect(run.output.filter((l) => l.startsWith('Warning:') || l.startsWith('error'))).toEqual([]);
      expect(run.output).toHaveLength(out.objects.length);
    }
    await server.createDefaultServiceAccount(ENVIRONMENTS[name].namespace);
    expect(await podAdmissionProblems(server, out.objects)).toEqual([]);
  });
});
