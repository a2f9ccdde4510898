import { Testing } from 'cdk8s';
import { EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { CREDENTIAL_SECRETS, CREDENTIALS_PASSWORD_KEY, CREDENTIALS_USER_KEY, WorkloadChart, WorkloadChartProps } from '../src/workload-chart';

type Json = Record<string, any>;

const synth = (name: EnvironmentName, props: Partial<WorkloadChartProps> = {}): Json[] =>
  Testing.synth(new WorkloadChart(Testing.app(), 'workload', { config: ENVIRONMENTS[name], ...props }));
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

describe('WorkloadChart', () => {
  test('needs nothing from AWS: the chart synthesizes on its own', () => {
    const objects = synth(EnvironmentName.DEV);
    // no unresolved CDK token: nothing in the chart waits for a CloudFormation value
    expect(JSON.stringify(objects)).not.toMatch(/\$\{Token\[/);
    // every object says which system it is part of
    expect(objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/part-of'] !== 's3www-eks')).toEqual([]);
    const kinds = objects.map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'NetworkPolicy', 'StatefulSet', 'Deployment', 'Job', 'Ingress']));
  });

  test('the Namespace is cluster-scoped and enforces Pod Security "restricted"', () => {
    const ns = synth(EnvironmentName.DEV).find((o) => o.kind === 'Namespace')!;
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 's3www-eks',
      'pod-security.kubernetes.io/enforce': 'restricted',
      // the policy of the API server's own version, so a cluster upgrade tightens it as Kubernetes does
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('the root credentials reach MinIO and its bucket Job only; s3www and the seeder each read their own user', () => {
    // GIVEN Secret names of the user's choosing
    const objects = synth(EnvironmentName.PROD, { credentialSecrets: { root: 'my-root', site: 'my-site', seeder: 'my-seeder' } });
    // THEN every reference names the Secret of its identity, with the username / password keys
    const readers = (secret: string) => objects.filter((o) => JSON.stringify(o).includes(`"${secret}"`)).map((o) => `${o.kind}/${o.metadata.name.replace(/-[0-9a-f]{8,10}$/, '')}`);
    expect(readers('my-root')).toEqual(['StatefulSet/minio', 'Job/minio-buckets']);
    expect(readers('my-site')).toEqual(['Job/minio-buckets', 'Deployment/s3www']);
    expect(readers('my-seeder')).toEqual(['Job/minio-buckets', 'Job/s3www-seeder']);
    const sts = objects.find((o) => o.kind === 'StatefulSet')!;
    const env = sts.spec.template.spec.containers[0].env.filter((e: Json) => e.valueFrom);
    expect(env.map((e: Json) => [e.name, e.valueFrom.secretKeyRef])).toEqual([
      ['MINIO_ROOT_USER', { name: 'my-root', key: CREDENTIALS_USER_KEY }],
      ['MINIO_ROOT_PASSWORD', { name: 'my-root', key: CREDENTIALS_PASSWORD_KEY }],
    ]);
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.volumes).toEqual([{
      name: 'credentials',
      secret: { secretName: 'my-site', items: [{ key: CREDENTIALS_USER_KEY, path: 'accessKey' }, { key: CREDENTIALS_PASSWORD_KEY, path: 'secretKey' }], defaultMode: 0o440 },
    }]);
    expect(JSON.stringify(objects)).not.toMatch(/minio-(root|s3www|seeder)-credentials/);
  });

  test('the bucket Job gives s3www list and read, the seeder list, read and write, and nobody delete', () => {
    const chart = new WorkloadChart(Testing.app(), 'workload', { config: ENVIRONMENTS.dev });
    expect(chart.minio.users.map((u) => [u.policyName, u.credentials.secretName, u.bucket, u.actions])).toEqual([
      ['minio-s3www', CREDENTIAL_SECRETS.site, 'site', ['s3:ListBucket', 's3:GetObject']],
      ['minio-seeder', CREDENTIAL_SECRETS.seeder, 'site',
        ['s3:ListBucket', 's3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload']],
    ]);
    expect(JSON.stringify(chart.minio.users)).not.toContain('Delete');
  });

  test('without tls the site serves plain HTTP on port 80 (dev)', () => {
    const ingress = synth(EnvironmentName.DEV).find((o) => o.kind === 'Ingress')!;
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTP":80}]');
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBeUndefined();
    expect(ingress.spec.rules[0].host).toBeUndefined();
  });

  test('with tls the site serves HTTPS only, under its name, with a current TLS policy', () => {
    const ingress = synth(EnvironmentName.PROD, { tls: { certificateArn: CERT, domainName: 'www.example.com' } }).find((o) => o.kind === 'Ingress')!;
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/certificate-arn': CERT,
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      'alb.ingress.kubernetes.io/load-balancer-name': 's3www-prod-site',
    });
    expect(ingress.spec.rules[0].host).toBe('www.example.com');
  });

  test('MinIO admits the seeder and the web tier by name (their own selectors), and the web tier admits the VPC', () => {
    const chart = new WorkloadChart(Testing.app(), 'workload', { config: ENVIRONMENTS.staging });
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
