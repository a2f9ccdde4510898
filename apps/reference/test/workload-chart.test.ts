import { Testing } from 'cdk8s';
import { EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { CREDENTIALS_PASSWORD_KEY, CREDENTIALS_USER_KEY, WorkloadChart } from '../src/workload-chart';

type Json = Record<string, any>;

const synth = (name: EnvironmentName, secret = 'creds'): Json[] =>
  Testing.synth(new WorkloadChart(Testing.app(), 'workload', { config: ENVIRONMENTS[name], credentialsSecretName: secret }));

describe('WorkloadChart', () => {
  test('needs nothing from AWS: the chart synthesizes on its own', () => {
    const objects = synth(EnvironmentName.DEV);
    // no unresolved CDK token: nothing in the chart waits for a CloudFormation value
    expect(JSON.stringify(objects)).not.toMatch(/\$\{Token\[/);
    const kinds = objects.map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'NetworkPolicy', 'StatefulSet', 'Deployment', 'Job', 'Ingress']));
  });

  test('the Namespace is cluster-scoped and enforces Pod Security "restricted"', () => {
    const ns = synth(EnvironmentName.DEV).find((o) => o.kind === 'Namespace')!;
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('every reader of the credentials uses the named Secret and its two keys', () => {
    // GIVEN a Secret name of the user's choosing
    const objects = synth(EnvironmentName.PROD, 'my-minio-root');
    // THEN every reference, as env or volume, names it with the username / password keys
    const refs = JSON.stringify(objects).match(/"(secretName|name)":"my-minio-root"/g) ?? [];
    expect(refs.length).toBeGreaterThanOrEqual(4); // MinIO env (2), bucket job env (2), s3www and seeder volumes
    const sts = objects.find((o) => o.kind === 'StatefulSet')!;
    const env = sts.spec.template.spec.containers[0].env.filter((e: Json) => e.valueFrom);
    expect(env.map((e: Json) => [e.name, e.valueFrom.secretKeyRef])).toEqual([
      ['MINIO_ROOT_USER', { name: 'my-minio-root', key: CREDENTIALS_USER_KEY }],
      ['MINIO_ROOT_PASSWORD', { name: 'my-minio-root', key: CREDENTIALS_PASSWORD_KEY }],
    ]);
    expect(JSON.stringify(objects)).not.toContain('"creds"');
  });

  test('MinIO admits the seeder and the web tier by name (their own selectors), and the web tier admits the VPC', () => {
    const chart = new WorkloadChart(Testing.app(), 'workload', { config: ENVIRONMENTS.staging, credentialsSecretName: 'creds' });
    const objects: Json[] = Testing.synth(chart);
    const fromLabels = (policy: Json) => (policy.spec.ingress ?? [])
      .flatMap((r: Json) => r.from.map((f: Json) => f.podSelector?.matchLabels ?? f.ipBlock));
    const sameLabels = (a: Json, b: Json) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    const selecting = (labels: Json) => objects.filter((o) => o.kind === 'NetworkPolicy' && sameLabels(o.spec.podSelector.matchLabels ?? {}, labels));
    const toMinio = selecting(chart.minio.selectorLabels).flatMap(fromLabels);
    expect(toMinio).toEqual(expect.arrayContaining([chart.seeder.selectorLabels, chart.s3www.selectorLabels]));
    expect(selecting(chart.s3www.selectorLabels).flatMap(fromLabels)).toEqual(expect.arrayContaining([{ cidr: ENVIRONMENTS.staging.network.cidr }]));
  });

  test('s3www reads the bucket from MinIO\'s in-cluster endpoint', () => {
    const deployment = synth(EnvironmentName.STAGING).find((o) => o.kind === 'Deployment')!;
    const args: string[] = deployment.spec.template.spec.containers[0].args;
    expect(args[args.indexOf('-endpoint') + 1]).toBe('http://minio.s3www.svc.cluster.local:9000');
    expect(args[args.indexOf('-bucket') + 1]).toBe('site');
  });
});
