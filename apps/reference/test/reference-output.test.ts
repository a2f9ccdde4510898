/**
 * Everything the app emits, checked for every environment: each environment is synthesized once
 * (with cdk-nag attached) in a beforeAll, then its templates and manifests are checked many times.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';
import { expectCfnLintClean, NagFinding, nagErrors } from '../../../tools/testing/cloudformation';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { expectRestricted, findPodSpecs, isPinnedImage } from '../../../tools/testing/pod-security';
import { EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { secretFindings } from '../src/main-job';
import { environmentApp, kubernetesObjectsInTemplate, readOutput, SynthesizedEnvironment, TOKEN_PLACEHOLDER } from '../src/synthesis';

type Json = Record<string, any>;

/** Labels the kubectl provider adds to every object it applies, to prune removed objects later. */
const withoutPruneLabels = (objects: Json[]): Json[] => objects.map((o) => {
  const labels = Object.fromEntries(Object.entries<string>(o.metadata?.labels ?? {}).filter(([k]) => !k.startsWith('aws.cdk.eks/prune-')));
  return { ...o, metadata: { ...o.metadata, labels } };
});

const resourcesOf = (out: SynthesizedEnvironment, type: string): Json[] =>
  Object.values(out.templates).flatMap((t) => Object.values<Json>(t.Resources ?? {})).filter((r) => r.Type === type);
const objectOf = (out: SynthesizedEnvironment, kind: string, name: string): Json | undefined =>
  out.objects.find((o) => o.kind === kind && o.metadata.name === name);
const portsOf = (rule: Json): number[] => (rule.ports ?? []).map((p: Json) => p.port);

describe.each(Object.values(EnvironmentName))('environment %s', (name) => {
  const config = ENVIRONMENTS[name];
  let out: SynthesizedEnvironment;
  let nag: NagFinding[];
  let template: Json;
  let applied: Record<string, Json[]>;
  const monitored = config.operations?.prometheusRetention !== undefined;

  const base = mkdtempSync(join(tmpdir(), `reference-${name}-`));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  beforeAll(() => {
    const folders = { cdkOut: join(base, 'cdk.out'), manifests: join(base, 'manifests') };
    const built = environmentApp(name, folders);
    nag = nagErrors(built.app);
    out = readOutput(built, folders);
    template = out.templates[`${out.stackName}.template.json`];
    applied = kubernetesObjectsInTemplate(template);
  });

  describe('CloudFormation', () => {
    test('every template passes cfn-lint', () => {
      expect(Object.keys(out.templates).length).toBeGreaterThan(0);
      expectCfnLintClean(out.templates);
    });

    test('cdk-nag AwsSolutions reports no unacknowledged error', () => {
      expect(nag).toEqual([]);
    });

    test('the stack is named after the environment and deploys to the offline target', () => {
      expect(out.stackName).toBe(`s3www-eks-${name}`);
      const manifest = JSON.parse(readFileSync(join(out.folders.cdkOut, 'manifest.json'), 'utf8'));
      expect(manifest.artifacts[out.stackName].environment).toBe('aws://123456789012/us-east-1');
      // nothing left to look up: the CDK CLI will not call AWS for this synth
      expect(manifest.missing).toBeUndefined();
    });

    test('the outputs name the cluster and the kubeconfig command', () => {
      expect(template.Outputs.ClusterName.Value).toBe(config.clusterName);
      expect(template.Outputs.KubeconfigCommand.Value)
        .toBe(`aws eks update-kubeconfig --name ${config.clusterName} --region us-east-1`);
    });

    test('the network spans the environment\'s zones with its NAT gateways', () => {
      expect(resourcesOf(out, 'AWS::EC2::Subnet')).toHaveLength(2 * config.network.maxAzs);
      expect(resourcesOf(out, 'AWS::EC2::NatGateway')).toHaveLength(config.network.natGateways);
      expect(resourcesOf(out, 'AWS::EC2::VPC')[0].Properties.CidrBlock).toBe(config.network.cidr);
      expect(resourcesOf(out, 'AWS::EC2::FlowLog')).toHaveLength(1);
    });

    test('the nodes are spread over a private subnet in every zone', () => {
      const groups = resourcesOf(out, 'AWS::EKS::Nodegroup');
      expect(groups).toHaveLength(1);
      expect(groups[0].Properties.Subnets).toHaveLength(config.network.maxAzs);
      const { nodes } = config.cluster;
      expect(groups[0].Properties.InstanceTypes).toEqual(nodes.instanceTypes!.map(String));
      expect(groups[0].Properties.ScalingConfig).toEqual({ MinSize: nodes.minSize, DesiredSize: nodes.desiredSize, MaxSize: nodes.maxSize });
    });

    test('the VPC CNI enforces NetworkPolicies', () => {
      const cni = resourcesOf(out, 'AWS::EKS::Addon').find((a) => a.Properties.AddonName === 'vpc-cni');
      expect(JSON.parse(cni!.Properties.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
    });

    test('the site URL output reads the ALB host name from the Ingress status', () => {
      const lookups = resourcesOf(out, 'Custom::AWSCDK-EKS-KubernetesObjectValue');
      expect(lookups).toHaveLength(1);
      expect(lookups[0].Properties).toMatchObject({
        ObjectType: 'ingress',
        ObjectName: 's3www',
        ObjectNamespace: config.namespace,
        JsonPath: '.status.loadBalancer.ingress[0].hostname',
      });
      // staging and prod: HTTPS only (the main job's example certificate); dev: plain HTTP, and its output says so
      expect(JSON.stringify(template.Outputs.SiteUrl.Value)).toContain(config.httpsOnly ? '"https://' : '"http://');
      expect(template.Outputs.SiteUrl.Description).toContain(config.httpsOnly ? 'HTTPS only' : 'plain HTTP');
    });

    test(`the site ${config.httpsOnly ? 'serves HTTPS only, with the certificate of -c certificateArn' : 'serves plain HTTP: dev needs no certificate'}`, () => {
      // offline, the example certificate of deployment-target.ts stands in for the deployer's
      expect(resourcesOf(out, 'AWS::CertificateManager::Certificate')).toEqual([]);
      expect(resourcesOf(out, 'AWS::Route53::RecordSet')).toEqual([]);
      const ingress = applied[Object.keys(applied).find((id) => id.includes('Workload'))!].find((o) => o.kind === 'Ingress')!;
      const annotations = ingress.metadata.annotations;
      if (config.httpsOnly) {
        expect(annotations).toMatchObject({
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
          'alb.ingress.kubernetes.io/ssl-redirect': '443',
          'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
          'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
        });
      } else {
        expect(annotations['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTP":80}]');
        expect(Object.keys(annotations).filter((k) => /certificate|ssl/.test(k))).toEqual([]);
      }
    });

    test('the credentials of each MinIO identity are generated by Secrets Manager, never written', () => {
      const secrets = resourcesOf(out, 'AWS::SecretsManager::Secret');
      expect(secrets.filter((r) => r.Properties.SecretString !== undefined)).toEqual([]);
      const minio = secrets.filter((r) => r.Properties.Description.startsWith('MinIO '));
      expect(minio.map((r) => r.Properties.GenerateSecretString)).toEqual(['s3www-admin', 's3www-web', 's3www-seeder'].map((user) => ({
        GenerateStringKey: 'password',
        PasswordLength: 40,
        ExcludePunctuation: true,
        SecretStringTemplate: `{"username":"${user}"}`,
      })));
      expect(minio[0].Properties.Description).toBe(`MinIO root credentials of the s3www-eks ${name} environment`);
    });
  });

  describe('Kubernetes', () => {
    test('every object is schema-valid', () => {
      expect(out.objects.length).toBeGreaterThan(0);
      expectSchemaValid(out.objects);
    });

    test('the namespace enforces Pod Security "restricted"', () => {
      const ns = out.objects.find((o) => o.kind === 'Namespace');
      expect(ns?.metadata).toEqual({
        name: config.namespace,
        labels: expect.objectContaining({ 'pod-security.kubernetes.io/enforce': 'restricted' }),
      });
    });

    test('a default-deny NetworkPolicy covers every pod of the namespace', () => {
      const policies = out.objects.filter((o) => o.kind === 'NetworkPolicy');
      expect(policies).toContainEqual(expect.objectContaining({
        metadata: expect.objectContaining({ name: 'default-deny', namespace: config.namespace }),
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }));
    });

    test('every pod spec is Pod Security "restricted" with our hardening', () => {
      expectRestricted(out.objects);
    });

    test('every image is pinned, in the manifests and in what the cluster applies', () => {
      const all = [...out.objects, ...Object.values(applied).flat()];
      const images = findPodSpecs(all).flatMap(({ spec }) => [...spec.containers, ...(spec.initContainers ?? [])].map((c: Json) => c.image));
      expect(images.length).toBeGreaterThan(0);
      expect(images.filter((image) => !isPinnedImage(image))).toEqual([]);
    });

    test('the cluster applies exactly the plain manifests\' workload, through its chart API', () => {
      const workload = Object.entries(applied).find(([id]) => id.includes('Workload'));
      expect(workload).toBeDefined();
      expect(withoutPruneLabels(workload![1])).toEqual(expect.arrayContaining(withoutPruneLabels(out.objects)));
      expect(workload![1]).toHaveLength(out.objects.length);
    });

    test('every object the cluster applies is schema-valid, External Secrets Operator objects included', () => {
      expectSchemaValid(Object.values(applied).flat());
    });

    test('each identity\'s credentials reach the namespace through the secret sync, by reference only', () => {
      const syncs = Object.entries(applied).filter(([id]) => id.includes('MinioCredentials'));
      const externals = syncs.map(([, objects]) => objects.find((o) => o.kind === 'ExternalSecret')!);
      expect(externals.map((e) => [e.metadata.name, e.metadata.namespace])).toEqual(['minio-root-credentials', 'minio-s3www-credentials', 'minio-seeder-credentials']
        .map((secret) => [secret, config.namespace]));
      for (const external of externals) {
        // every JSON property of the secret (username, password) becomes a key of the Kubernetes Secret
        expect(external.spec.dataFrom).toEqual([{ extract: { key: TOKEN_PLACEHOLDER } }]);
        expect(external.spec.target).toMatchObject({ name: external.metadata.name });
      }
      expect(syncs.flatMap(([, objects]) => objects).filter((o) => o.kind === 'Secret')).toEqual([]);
    });

    test('s3www is served through an internet-facing ALB with IP targets', () => {
      const ingress = objectOf(out, 'Ingress', 's3www');
      expect(ingress?.spec.ingressClassName).toBe('alb');
      expect(ingress?.metadata.annotations).toMatchObject({
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
      });
    });

    test('the network policies open only what the request and seed paths need', () => {
      const policies = out.objects.filter((o) => o.kind === 'NetworkPolicy');
      const selecting = (labels: Json) => policies.filter((p) => isDeepStrictEqual(p.spec.podSelector.matchLabels, labels));
      const rules = (labels: Json, direction: 'ingress' | 'egress') => selecting(labels).flatMap((p) => p.spec[direction] ?? []);
      const inNamespace = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });
      const tcp = (port: number) => [{ port, protocol: 'TCP' }];
      const webLabels = { 'app.kubernetes.io/component': 'web', 'app.kubernetes.io/instance': 's3www', 'app.kubernetes.io/name': 's3www' };
      const seederLabels = { 'app.kubernetes.io/component': 'seeder', 'app.kubernetes.io/instance': 's3www-seeder', 'app.kubernetes.io/name': 's3www' };
      const minioServer = { 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/instance': 'minio', 'app.kubernetes.io/name': 'minio' };
      const minioPods = { podSelector: { matchLabels: minioServer }, namespaceSelector: inNamespace(config.namespace) };
      const dns = {
        to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: inNamespace('kube-system') }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      };
      // request path: the ALB (from inside the VPC) to s3www on 8080, and with monitoring the blackbox exporter
      const fromAlb = { from: [{ ipBlock: { cidr: config.network.cidr } }], ports: tcp(8080) };
      const fromProber = {
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus-blackbox-exporter' } }, namespaceSelector: inNamespace('monitoring') }],
        ports: tcp(8080),
      };
      expect(rules(webLabels, 'ingress')).toEqual(expect.arrayContaining(monitored ? [fromAlb, fromProber] : [fromAlb]));
      expect(rules(webLabels, 'ingress')).toHaveLength(monitored ? 2 : 1);
      // s3www may send to DNS and, through the policy minio.allowFrom(site) wrote, to MinIO on 9000
      const sameRules = (actual: Json[], expected: Json[]) => {
        expect(actual).toEqual(expect.arrayContaining(expected));
        expect(actual).toHaveLength(expected.length);
      };
      sameRules(rules(webLabels, 'egress'), [dns, { to: [minioPods], ports: tcp(9000) }]);
      // seed path: the seeder to the internet on 443 only, to MinIO (minio.allowFrom(seeder)) and DNS; nothing in
      expect(objectOf(out, 'NetworkPolicy', 's3www-seeder')!.spec.ingress).toBeUndefined();
      expect(rules(seederLabels, 'ingress')).toEqual([]);
      sameRules(rules(seederLabels, 'egress'), [dns, { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(443) }, { to: [minioPods], ports: tcp(9000) }]);
      // MinIO admits the web pods and the seeder on 9000 (and Prometheus with monitoring), nothing else from outside
      const admitted = rules(minioServer, 'ingress').filter((r: Json) => !isDeepStrictEqual(r.from, [minioPods]))
        .flatMap((rule: Json) => rule.from.map((f: Json) => f.podSelector?.matchLabels));
      const bucketJob = { 'app.kubernetes.io/component': 'bucket-job', 'app.kubernetes.io/instance': 'minio', 'app.kubernetes.io/name': 'minio' };
      const prometheus = { 'app.kubernetes.io/name': 'prometheus' };
      const expected = [webLabels, seederLabels, bucketJob, ...(monitored ? [prometheus] : [])];
      expect(admitted).toEqual(expect.arrayContaining(expected));
      expect(admitted).toHaveLength(expected.length);
      const seederJob = out.objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('s3www-seeder-'))!;
      expect(seederJob.spec.template.metadata.labels).toEqual(expect.objectContaining(seederLabels));
    });

    test('the seed job downloads the original gif into the bucket with its own synced MinIO user', () => {
      const job = out.objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('s3www-seeder-'))!;
      const env = Object.fromEntries(job.spec.template.spec.containers[0].env.map((e: Json) => [e.name, e.value]));
      expect(JSON.parse(env.SEED_SOURCES)).toEqual([{ url: 'https://media.giphy.com/media/VdiQKDAguhDSi37gn1/giphy.gif', key: 'giphy.gif' }]);
      expect(env.S3_BUCKET).toBe(config.bucket);
      const volumes = job.spec.template.spec.volumes.filter((v: Json) => v.secret);
      expect(volumes.map((v: Json) => v.secret.secretName)).toEqual(['minio-seeder-credentials']);
    });

    test('every namespaced object lives in the workload namespace', () => {
      const namespaced = out.objects.filter((o) => o.kind !== 'Namespace');
      expect(namespaced.filter((o) => o.metadata.namespace !== config.namespace)).toEqual([]);
    });
  });

  describe(`operations (${config.operations ? 'on' : 'off'})`, () => {
    const helmCharts = () => resourcesOf(out, 'Custom::AWSCDK-EKS-HelmChart').map((r) => r.Properties.Chart);
    const kinds = () => out.objects.map((o) => `${o.kind} ${o.metadata.name}`);

    test(`monitoring is ${monitored ? 'installed and wired' : 'absent'}`, () => {
      const monitoringKinds = ['ServiceMonitor minio', 'PrometheusRule minio-alerts', 'ConfigMap minio-dashboard',
        'Probe s3www', 'PrometheusRule s3www-alerts', 'ConfigMap s3www-dashboard'];
      if (monitored) {
        expect(helmCharts()).toEqual(expect.arrayContaining(['kube-prometheus-stack', 'prometheus-blackbox-exporter']));
        expect(kinds()).toEqual(expect.arrayContaining(monitoringKinds));
        // Prometheus may reach MinIO's metrics on the API port
        const admitted = out.objects.filter((o) => o.kind === 'NetworkPolicy').flatMap((p) => p.spec.ingress ?? [])
          .filter((rule: Json) => portsOf(rule).includes(9000)).flatMap((rule: Json) => rule.from);
        expect(admitted).toContainEqual({
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
        });
      } else {
        expect(helmCharts()).not.toContain('kube-prometheus-stack');
        expect(kinds().filter((k) => monitoringKinds.includes(k))).toEqual([]);
      }
    });

    test(`container logs and volume backups are ${config.operations ? 'on' : 'off'}`, () => {
      const addons = resourcesOf(out, 'AWS::EKS::Addon').map((a) => a.Properties.AddonName);
      expect(addons.includes('amazon-cloudwatch-observability')).toBe(config.operations?.containerLogRetention !== undefined);
      expect(resourcesOf(out, 'AWS::Backup::BackupPlan')).toHaveLength(config.operations?.backupRetention ? 1 : 0);
    });

    test('every resource and every EBS volume carries the project, environment and cost centre', () => {
      // stack tags: CloudFormation puts them on every resource that takes tags
      const manifest = JSON.parse(readFileSync(join(out.folders.cdkOut, 'manifest.json'), 'utf8'));
      expect(manifest.artifacts[out.stackName].properties.tags).toEqual({ 'project': 's3www-eks', 'environment': name, 'cost-center': config.costCenter });
      // the default StorageClass tags the volumes the CSI driver creates (MinIO's drives)
      const storageClass = Object.values(applied).flat().find((o) => o.kind === 'StorageClass');
      expect(Object.values(storageClass!.parameters).filter((v) => String(v).includes('='))).toEqual(expect.arrayContaining([
        'project=s3www-eks', `environment=${name}`, `cost-center=${config.costCenter}`,
      ]));
    });
  });

  describe('sizing', () => {
    const distributed = config.minio.topology.isDistributed;

    test(`MinIO runs ${distributed ? 'distributed, one pod per zone-spread slot' : 'standalone'}`, () => {
      const sts = objectOf(out, 'StatefulSet', 'minio')!;
      expect(sts.spec.replicas).toBe(config.minio.topology.replicas);
      expect(sts.spec.volumeClaimTemplates).toHaveLength(config.minio.topology.drivesPerReplica);
      const zoneSpread = (sts.spec.template.spec.topologySpreadConstraints ?? []).find((c: Json) => c.topologyKey === 'topology.kubernetes.io/zone');
      if (distributed) {
        expect(zoneSpread).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' });
        expect(objectOf(out, 'PodDisruptionBudget', 'minio')?.spec.maxUnavailable).toBe(1);
      } else {
        expect(objectOf(out, 'PodDisruptionBudget', 'minio')).toBeUndefined();
      }
    });

    test(`s3www ${config.s3www.autoscaling ? 'scales with an HPA and has a PodDisruptionBudget' : 'runs a fixed replica count'}`, () => {
      const hpa = objectOf(out, 'HorizontalPodAutoscaler', 's3www');
      if (config.s3www.autoscaling) {
        expect(hpa?.spec).toMatchObject({ minReplicas: config.s3www.autoscaling.minReplicas, maxReplicas: config.s3www.autoscaling.maxReplicas });
      } else {
        expect(hpa).toBeUndefined();
        expect(objectOf(out, 'Deployment', 's3www')?.spec.replicas).toBe(config.s3www.replicas);
      }
      expect(objectOf(out, 'PodDisruptionBudget', 's3www')?.spec.maxUnavailable).toBe(config.s3www.maxUnavailable);
      // one web pod gets no budget: the library refuses one that could only be all or nothing
      if (config.s3www.maxUnavailable === undefined) expect(config.s3www.replicas).toBe(1);
    });
  });

  test('no secret material anywhere in cdk.out or the manifests', () => {
    expect(secretFindings(out)).toEqual([]);
  });
});
