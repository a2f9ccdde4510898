/**
 * Namespaced access on a real API server: what a role of `-c viewerRoleArns` may do with the workload.
 *
 * EKS authorizes an access entry's access policies itself (its own authorizer, ahead of RBAC); no Role or
 * RoleBinding appears in the cluster. EKS documents each access policy as Kubernetes RBAC rules:
 * `AmazonEKSViewPolicy` as the `view` ClusterRole's, `AmazonEKSEditPolicy` as `edit`'s
 * (https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html). So this test models
 * every namespace-scoped access policy the template associates with the viewer role as that ClusterRole,
 * bound by a RoleBinding in each namespace of the policy's scope to a user standing for the role, on a
 * real kube-apiserver (token authentication, RBAC authorization) holding the environment as the kubectl
 * handler applies it. The mapping is EKS's, taken as documented; that EKS's authorizer grants exactly
 * that, and the username of the role's sessions, only an EKS cluster shows.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { handle, stackOf, startClusterWithCrds, stepProblems } from './deploy-support';
import { KubernetesServer } from '../../../tools/testing/kube-apiserver';
import { KubectlHandler, KUBECTL_TYPES, kubectlResources } from '../../../tools/testing/kubectl-provider';
import { EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { CREDENTIALS_SECRET_NAME } from '../src/reference-stack';
import { synthesizeEnvironment } from '../src/synthesis';

type Json = Record<string, any>;

/** The role given with `-c viewerRoleArns`. */
const VIEWER_ROLE = 'arn:aws:iam::123456789012:role/s3www-support';
/** The Kubernetes user standing for the role's sessions (on EKS: arn:aws:sts::<account>:assumed-role/<role>/<session>). */
const VIEWER = 's3www-eks-test-viewer';
/** The Kubernetes ClusterRole EKS documents as each access policy's equivalent. */
const ACCESS_POLICY_CLUSTER_ROLES: Record<string, string> = { AmazonEKSViewPolicy: 'view', AmazonEKSEditPolicy: 'edit' };

/**
 * The RBAC equivalent of the namespace-scoped access policies the template associates with a principal:
 * the policy's ClusterRole bound in each namespace of its scope to the user.
 */
function rbacOfAccessEntries(template: Json, principalArn: string, user: string): Json[] {
  const entries = Object.values<Json>(template.Resources).filter((r) => r.Type === 'AWS::EKS::AccessEntry' && r.Properties.PrincipalArn === principalArn);
  return entries.flatMap((entry) => (entry.Properties.AccessPolicies as Json[]).flatMap((policy) => {
    if (policy.AccessScope.Type !== 'namespace') throw new Error(`${principalArn} has a ${policy.AccessScope.Type}-scoped access policy: not modelled here`);
    const name = (policy.PolicyArn['Fn::Join'][1] as unknown[]).join('').split('cluster-access-policy/')[1];
    const clusterRole = ACCESS_POLICY_CLUSTER_ROLES[name];
    if (!clusterRole) throw new Error(`access policy ${name} has no documented ClusterRole equivalent here`);
    return (policy.AccessScope.Namespaces as string[]).map((namespace) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `eks-access-policy-${clusterRole}`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    }));
  }));
}

let server: KubernetesServer;
let handler: KubectlHandler;
/** The `view` ClusterRole's rules as the server started. */
let viewAsStarted: Json[];
const base = mkdtempSync(join(tmpdir(), 'namespace-access-'));

beforeAll(async () => {
  ({ server } = await startClusterWithCrds({ users: [VIEWER] }));
  handler = new KubectlHandler(server);
  viewAsStarted = JSON.parse(server.kubectlOk(['get', 'clusterrole', 'view', '-o', 'json'])).rules ?? [];
  await server.aggregateClusterRoles();
});

afterAll(async () => {
  await server?.stop();
  rmSync(base, { recursive: true, force: true });
});

test('the server\'s `view` ClusterRole starts without rules, and gets them as the clusterrole-aggregation controller gives them', () => {
  expect(viewAsStarted).toEqual([]);
  const resources = (JSON.parse(server.kubectlOk(['get', 'clusterrole', 'view', '-o', 'json'])).rules as Json[]).flatMap((r) => r.resources);
  expect(resources).toEqual(expect.arrayContaining(['pods', 'configmaps', 'deployments', 'statefulsets', 'services', 'jobs', 'ingresses']));
  expect(resources).not.toContain('secrets');
  // edit, which AmazonEKSEditPolicy stands for, holds view's rules and more
  const edit = (JSON.parse(server.kubectlOk(['get', 'clusterrole', 'edit', '-o', 'json'])).rules as Json[]).flatMap((r) => r.resources);
  expect(edit).toEqual(expect.arrayContaining([...new Set(resources), 'secrets', 'pods/exec', 'pods/portforward']));
});

describe.each(Object.values(EnvironmentName))('environment %s, with -c viewerRoleArns', (name) => {
  const namespace = ENVIRONMENTS[name].namespace;
  let template: Json;
  const as = (...args: string[]) => server.kubectlAs(VIEWER, args);
  /** A denial as kubectl prints it, without the words before the server's message, which vary by command. */
  const denied = (verb: string, resource: string, group: string, where = `in the namespace "${namespace}"`) =>
    `User "${VIEWER}" cannot ${verb} resource "${resource}" in API group "${group}" ${where}`;

  beforeAll(async () => {
    // GIVEN the environment, synthesized with a viewer role
    const out = synthesizeEnvironment(name, { cdkOut: join(base, name, 'cdk.out'), manifests: join(base, name, 'manifests') }, undefined, { viewerRoleArns: VIEWER_ROLE });
    template = out.templates[`${out.stackName}.template.json`];
    // WHEN the kubectl handler applies it, as on a deploy, and the viewer's access policies are modelled
    await server.reset();
    const steps = kubectlResources(template).filter((r) => r.type === KUBECTL_TYPES.manifest)
      .map((r) => handle(handler, 'Create', r, template, stackOf(name)));
    expect(stepProblems(steps)).toEqual([]);
    for (const binding of rbacOfAccessEntries(template, VIEWER_ROLE, VIEWER)) server.kubectlOk(['create', '-f', '-'], JSON.stringify(binding));
  });

  test('the template gives the role one access entry: AmazonEKSViewPolicy on the workload namespace only', () => {
    const entries = Object.values<Json>(template.Resources).filter((r) => r.Type === 'AWS::EKS::AccessEntry' && r.Properties.PrincipalArn === VIEWER_ROLE);
    expect(entries.map((e) => e.Properties.AccessPolicies)).toEqual([[{
      AccessScope: { Type: 'namespace', Namespaces: [namespace] },
      PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy']] },
    }]]);
    expect(rbacOfAccessEntries(template, VIEWER_ROLE, VIEWER).map((b) => `${b.metadata.namespace} ${b.roleRef.name}`)).toEqual([`${namespace} view`]);
  });

  test('the viewer reads the workload', () => {
    for (const kind of ['pods', 'deployments', 'statefulsets', 'services', 'configmaps', 'jobs', 'ingresses', 'serviceaccounts', 'persistentvolumeclaims', 'events']) {
      const run = as('-n', namespace, 'get', kind);
      expect(`${kind}: exit ${run.status} ${run.stderr}`).toMatch(new RegExp(`^${kind}: exit 0 `));
    }
    expect(as('-n', namespace, 'get', 'deployment', 's3www', '-o', 'name').stdout.trim()).toBe('deployment.apps/s3www');
    expect(as('-n', namespace, 'get', 'statefulset', 'minio', '-o', 'name').stdout.trim()).toBe('statefulset.apps/minio');
    const configMaps = as('-n', namespace, 'get', 'configmaps', '-o', 'name');
    expect(configMaps.status).toBe(0);
    expect(configMaps.stdout.split('\n').filter((l) => l).length).toBeGreaterThan(0);
  });

  test('the viewer changes nothing: create, patch, scale and delete are denied', () => {
    const attempts: Array<[string[], string]> = [
      [['create', 'configmap', 'probe', '--from-literal=a=b'], denied('create', 'configmaps', '')],
      [['patch', 'deployment', 's3www', '-p', '{"metadata":{"labels":{"probe":"x"}}}'], denied('patch', 'deployments', 'apps')],
      [['scale', 'deployment', 's3www', '--replicas=5'], denied('patch', 'deployments/scale', 'apps')],
      [['delete', 'statefulset', 'minio'], denied('delete', 'statefulsets', 'apps')],
      [['delete', 'service', 's3www'], denied('delete', 'services', '')],
    ];
    for (const [args, message] of attempts) {
      const run = as('-n', namespace, ...args);
      expect(`${args.slice(0, 2).join(' ')}: exit ${run.status} ${run.stderr}`).toContain('exit 1 ');
      expect(run.stderr).toContain(message);
    }
    // nothing changed
    expect(server.kubectlOk(['-n', namespace, 'get', 'deployment', 's3www', '-o', 'jsonpath={.metadata.labels.probe}'])).toBe('');
  });

  test('the viewer reads no Secret (view leaves Secrets out)', () => {
    const list = as('-n', namespace, 'get', 'secrets');
    expect(list.status).toBe(1);
    expect(list.stderr).toContain(denied('list', 'secrets', ''));
    const one = as('-n', namespace, 'get', 'secret', CREDENTIALS_SECRET_NAME);
    expect(one.status).toBe(1);
    expect(one.stderr).toContain(denied('get', 'secrets', ''));
  });

  test('the viewer can neither exec into pods nor forward their ports', () => {
    for (const sub of ['pods/exec', 'pods/portforward', 'pods/attach']) {
      const run = as('-n', namespace, 'auth', 'can-i', 'create', sub);
      expect(`${sub}: ${run.stdout.trim()}`).toBe(`${sub}: no`);
    }
  });

  test('the viewer gets nothing outside the workload namespace', () => {
    for (const other of ['default', 'kube-system', 'monitoring']) {
      const run = as('-n', other, 'get', 'pods');
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(denied('list', 'pods', '', `in the namespace "${other}"`));
    }
    const namespaces = as('get', 'namespaces');
    expect(namespaces.stderr).toContain(denied('list', 'namespaces', '', 'at the cluster scope'));
    const nodes = as('get', 'nodes');
    expect(nodes.stderr).toContain(denied('list', 'nodes', '', 'at the cluster scope'));
  });
});
