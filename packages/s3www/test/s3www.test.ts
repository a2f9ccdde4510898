import { isDeepStrictEqual } from 'util';
import { App, Chart, Size, Testing } from 'cdk8s';
import {
  Cpu, Deployment, ImagePullPolicy, IPodSelector, Namespaces, NetworkPolicy, NetworkPolicyIpBlock, NetworkPolicyPort, PodConnectionsIsolation, Pods,
} from 'cdk8s-plus-33';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { AlbSslPolicy, LoadBalancerScheme, S3www, SpreadPolicy } from '../src';
import { admitToMinio, MINIO_BACKEND, Obj, podSpec, synth, validationError } from './support/synth';

const LABELS = { 'app.kubernetes.io/name': 's3www', 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/component': 'web' };
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f6f1b3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('defaults', () => {
  const result = synth({}, { namespace: 'site' });
  const deployment = result.one('Deployment');
  const container = podSpec(deployment).containers[0];

  test('emits a ServiceAccount, Deployment, Service, PodDisruptionBudget and NetworkPolicy, nothing else', () => {
    expect(result.kinds()).toEqual(['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
  });

  test('runs s3www v1.0.0 on 0.0.0.0:8080 with key files, and without cross-origin access', () => {
    expect(container.image).toBe('y4m4/s3www:v1.0.0');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.args).toEqual([
      '-address', '0.0.0.0:8080',
      '-endpoint', 'http://minio.storage.svc.cluster.local:9000',
      '-bucket', 'site',
      '-allowed-cors-origins', 'https://no-cross-origin-access.invalid',
      '-accessKeyFile', '/etc/s3www/credentials/accessKey',
      '-secretKeyFile', '/etc/s3www/credentials/secretKey',
    ]);
    // Flags named in s3www's README that do not exist crash the pod.
    expect(container.args.filter((a: string) => /^-(spa|tls)/.test(a))).toEqual([]);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  test('mounts only the two keys of the Secret, readable by the pod group', () => {
    expect(podSpec(deployment).volumes).toEqual([{
      name: 'credentials',
      secret: { secretName: 'minio-site', items: [{ key: 'accessKey', path: 'accessKey' }, { key: 'secretKey', path: 'secretKey' }], defaultMode: 0o440 },
    }]);
    expect(container.volumeMounts).toEqual([{ name: 'credentials', mountPath: '/etc/s3www/credentials', readOnly: true }]);
    expect(container.env).toBeUndefined();
  });

  test('runs as UID/GID 65532 with no service-account token and no Service links', () => {
    expect(podSpec(deployment).securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(podSpec(deployment).automountServiceAccountToken).toBe(false);
    expect(podSpec(deployment).enableServiceLinks).toBe(false);
    expect(podSpec(deployment).serviceAccountName).toBe('web');
    expect(result.one('ServiceAccount')).toMatchObject({ metadata: { name: 'web' }, automountServiceAccountToken: false });
  });

  test('two replicas, rolled one at a time, spread over zones then nodes', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    expect(podSpec(deployment).topologySpreadConstraints).toEqual([
      { topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: LABELS } },
      { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: LABELS } },
    ]);
  });

  test('probes by TCP, as s3www has no health endpoint', () => {
    expect(container.readinessProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3 });
    expect(container.livenessProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 5, periodSeconds: 20, failureThreshold: 3 });
  });

  test('sets requests and limits', () => {
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
  });

  test('a ClusterIP Service on port 80', () => {
    expect(result.one('Service').spec).toEqual({
      type: 'ClusterIP', selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(result.one('Service').metadata.annotations).toBeUndefined();
  });

  test('a PodDisruptionBudget of one of the two pods, which never waits for a pod that is not ready', () => {
    expect(result.one('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: LABELS }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('a NetworkPolicy that admits nothing and lets out DNS only (the backend admits the pods and lets them out to it)', () => {
    expect(result.one('NetworkPolicy').metadata).toEqual({ name: 'web', namespace: 'site' });
    expect(result.one('NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: LABELS },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{
        to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      }],
    });
  });

  test('exposes the names a consumer needs', () => {
    expect(result.s3www).toMatchObject({
      name: 'web', namespace: 'site', serviceName: 'web', servicePort: 80, url: 'http://web.site.svc:80', selectorLabels: LABELS, serviceAccountName: 'web',
    });
    expect(result.s3www.deployment.kind).toBe('Deployment');
    expect(result.s3www.service.kind).toBe('Service');
    expect(result.s3www.networkPolicy.name).toBe('web');
  });

  test('derives a unique name when none is given, and takes the chart namespace', () => {
    const derived = synth({ name: undefined });
    expect(derived.s3www.name).toMatch(/^test-s3www-[0-9a-f]{8}$/);
    expect(derived.s3www.url).toBe(`http://${derived.s3www.name}:80`);
    expect(derived.one('Deployment').metadata.namespace).toBeUndefined();
  });
});

/** Admits the VPC CIDR, as ALB and NLB IP targets need. */
const fromVpc = (site: S3www) => { site.allowFrom(NetworkPolicyIpBlock.ipv4(Chart.of(site), 'Vpc', '10.0.0.0/16')); };

describe('options', () => {
  const args = (props: Parameters<typeof synth>[0]) => podSpec(synth(props).one('Deployment')).containers[0].args as string[];

  test('namespace is set on every object', () => {
    const { objects } = synth({ namespace: 'web-tier' });
    expect(objects.map((o) => o.metadata.namespace)).toEqual(objects.map(() => 'web-tier'));
  });

  test('bucketPath and spaFile become flags', () => {
    expect(args({ bucketPath: '/public', spaFile: 'index.html' })).toEqual(expect.arrayContaining(['-bucketPath', '/public', '-spaFile', 'index.html']));
  });

  test('explicit CORS origins', () => {
    const flags = args({ cors: { allowedOrigins: ['https://app.example.com', 'https://*.example.org:8443'] } });
    expect(flags[flags.indexOf('-allowed-cors-origins') + 1]).toBe('https://app.example.com,https://*.example.org:8443');
  });

  test('allowAnyOrigin leaves the flag out, which s3www reads as every origin', () => {
    expect(args({ cors: { allowAnyOrigin: true } })).not.toContain('-allowed-cors-origins');
  });

  test('image, replicas and resources, ephemeral storage included', () => {
    const deployment = synth({
      image: { repository: 'registry.example.com/s3www', digest: `sha256:${'a'.repeat(64)}`, pullPolicy: ImagePullPolicy.ALWAYS },
      replicas: 4,
      resources: {
        cpu: { request: Cpu.millis(100), limit: Cpu.units(1) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
        ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
      },
    }).one('Deployment');
    expect(deployment.spec.replicas).toBe(4);
    expect(podSpec(deployment).containers[0].image).toBe(`registry.example.com/s3www:v1.0.0@sha256:${'a'.repeat(64)}`);
    expect(podSpec(deployment).containers[0].imagePullPolicy).toBe('Always');
    expect(podSpec(deployment).containers[0].resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '64Mi', 'ephemeral-storage': '16Mi' },
      limits: { 'cpu': '1', 'memory': '256Mi', 'ephemeral-storage': '64Mi' },
    });
  });

  test.each(Object.values(SpreadPolicy))('topologySpread %s over custom keys', (policy) => {
    const spread = podSpec(synth({ topologySpread: { topologyKeys: ['kubernetes.io/hostname'], maxSkew: 2, whenUnsatisfiable: policy } }).one('Deployment'))
      .topologySpreadConstraints;
    expect(spread).toEqual([{ topologyKey: 'kubernetes.io/hostname', maxSkew: 2, whenUnsatisfiable: policy, labelSelector: { matchLabels: LABELS } }]);
  });

  test('probePath makes readiness an HTTP GET and keeps liveness on TCP', () => {
    const container = podSpec(synth({ probePath: '/index.html' }).one('Deployment')).containers[0];
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 10, failureThreshold: 3 });
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'http' });
  });

  test('servicePort', () => {
    const result = synth({ servicePort: 8081 });
    expect(result.one('Service').spec.ports).toEqual([{ name: 'http', port: 8081, targetPort: 'http', protocol: 'TCP' }]);
    expect(result.s3www.url).toBe('http://web:8081');
  });

  test('maxUnavailable, below the fewest pods', () => {
    expect(synth({ replicas: 4, maxUnavailable: 3 }).one('PodDisruptionBudget').spec.maxUnavailable).toBe(3);
    expect(synth({ autoscaling: { minReplicas: 3, maxReplicas: 6 }, maxUnavailable: 2 }).one('PodDisruptionBudget').spec.maxUnavailable).toBe(2);
  });

  test('a single pod gets no budget: it could only be all or nothing', () => {
    expect(synth({ replicas: 1 }).kinds()).not.toContain('PodDisruptionBudget');
    expect(synth({ autoscaling: { minReplicas: 1, maxReplicas: 3 } }).kinds()).not.toContain('PodDisruptionBudget');
  });

  describe('loadBalancer', () => {
    test('an internet-facing NLB with IP targets by default', () => {
      const service = synth({ loadBalancer: {} }, { after: fromVpc }).one('Service');
      expect(service.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb' });
      expect(service.spec.loadBalancerSourceRanges).toBeUndefined();
      expect(service.metadata.annotations).toEqual({
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      });
    });

    test.each(Object.values(LoadBalancerScheme))('scheme %s, source ranges and extra annotations', (scheme) => {
      const service = synth({
        loadBalancer: { scheme, sourceRanges: ['203.0.113.0/24'], annotations: { 'service.beta.kubernetes.io/aws-load-balancer-name': 'site' } },
      }, { after: fromVpc }).one('Service');
      expect(service.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
      expect(service.metadata.annotations).toMatchObject({
        'service.beta.kubernetes.io/aws-load-balancer-scheme': scheme,
        'service.beta.kubernetes.io/aws-load-balancer-name': 'site',
      });
    });
  });

  describe('ingress', () => {
    test('an internet-facing ALB on HTTP with IP targets and a health check on /', () => {
      const result = synth({ ingress: {} }, { after: fromVpc });
      const ingress = result.one('Ingress');
      expect(ingress.metadata.annotations).toEqual({
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': '/',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80}]',
      });
      expect(ingress.spec).toEqual({
        ingressClassName: 'alb',
        rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      });
      expect(result.s3www.ingressObject?.kind).toBe('Ingress');
      expect(result.one('Service').spec.type).toBe('ClusterIP');
    });

    test('tls adds HTTPS with a current TLS policy and redirects HTTP; host, scheme, path and annotations', () => {
      const ingress = synth({
        ingress: {
          tls: { certificateArns: [CERT] },
          host: 'www.example.com',
          scheme: LoadBalancerScheme.INTERNAL,
          healthCheckPath: '/index.html',
          annotations: { 'alb.ingress.kubernetes.io/group.name': 'shared' },
        },
      }, { after: fromVpc }).one('Ingress');
      expect(ingress.metadata.annotations).toEqual({
        'alb.ingress.kubernetes.io/scheme': 'internal',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': '/index.html',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
        'alb.ingress.kubernetes.io/certificate-arn': CERT,
        'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/group.name': 'shared',
      });
      expect(ingress.spec.rules[0].host).toBe('www.example.com');
    });

    test('several certificates: the first is the default, the others are served by SNI', () => {
      const other = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
      const annotations = synth({ ingress: { tls: { certificateArns: [CERT, other] } } }, { after: fromVpc }).one('Ingress').metadata.annotations;
      expect(annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(`${CERT},${other}`);
    });

    test('a certificate ARN known only at deploy time (an AWS CDK token) is taken as is', () => {
      const token = '${Token[TOKEN.812]}';
      const annotations = synth({ ingress: { tls: { certificateArns: [token] } } }, { after: fromVpc }).one('Ingress').metadata.annotations;
      expect(annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(token);
    });

    test.each([
      [AlbSslPolicy.TLS13_1_2_RES_PQ_2025_09, 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09'],
      [AlbSslPolicy.TLS13_1_3_PQ_2025_09, 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09'],
      [AlbSslPolicy.TLS13_1_2_RES_FIPS_PQ_2025_09, 'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09'],
      [AlbSslPolicy.TLS13_1_2_RES_2021_06, 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06'],
      [AlbSslPolicy.of('ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09'), 'ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09'],
    ])('the TLS policy %#: %s', (policy, name) => {
      const annotations = synth({ ingress: { tls: { certificateArns: [CERT], sslPolicy: policy } } }, { after: fromVpc }).one('Ingress').metadata.annotations;
      expect(annotations['alb.ingress.kubernetes.io/ssl-policy']).toBe(name);
    });

    test('every constant of AlbSslPolicy is a policy that allows TLS 1.2 at the oldest', () => {
      const constants = Object.values(AlbSslPolicy).filter((v): v is AlbSslPolicy => v instanceof AlbSslPolicy);
      expect(constants).toHaveLength(4);
      for (const policy of constants) expect(AlbSslPolicy.of(policy.name).name).toBe(policy.name);
    });

    test.each([
      ['not a policy name', 'TLS13-1-2', "'ingress.tls.sslPolicy' must be the name of an ELB security policy (ELBSecurityPolicy-...), got 'TLS13-1-2'"],
      ['the controller\'s default, which accepts TLS 1.0', 'ELBSecurityPolicy-2016-08',
        "'ingress.tls.sslPolicy' must not allow TLS 1.0 or 1.1: use AlbSslPolicy.TLS13_1_2_RES_PQ_2025_09 or another TLS 1.2+ policy, got 'ELBSecurityPolicy-2016-08'"],
      ['a TLS 1.3 policy that goes down to TLS 1.1', 'ELBSecurityPolicy-TLS13-1-1-2021-06',
        "'ingress.tls.sslPolicy' must not allow TLS 1.0 or 1.1: use AlbSslPolicy.TLS13_1_2_RES_PQ_2025_09 or another TLS 1.2+ policy, got 'ELBSecurityPolicy-TLS13-1-1-2021-06'"],
    ])('AlbSslPolicy.of refuses %s', (_case, name, message) => {
      expect(() => AlbSslPolicy.of(name)).toThrow(new Error(message));
    });
  });

  test('autoscaling adds an autoscaling/v2 HPA on CPU and leaves the replica count to it', () => {
    const result = synth({ autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 60 } });
    expect(result.one('Deployment').spec.replicas).toBeUndefined();
    const hpa = result.one('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
  });

  test('autoscaling aims at 70% CPU by default', () => {
    expect(synth({ autoscaling: { minReplicas: 1, maxReplicas: 3 } }).one('HorizontalPodAutoscaler').spec.metrics[0].resource.target.averageUtilization).toBe(70);
  });

  test('dns names another resolver', () => {
    const chart = Testing.chart();
    const nodeLocal = Pods.select(chart, 'NodeLocalDns', { labels: { 'k8s-app': 'node-local-dns' }, namespaces: Namespaces.select(chart, 'KubeSystem', { names: ['kube-system'] }) });
    const policy = synth({ dns: nodeLocal }).one('NetworkPolicy');
    expect(policy.spec.egress[0].to).toEqual([{
      podSelector: { matchLabels: { 'k8s-app': 'node-local-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    }]);
  });

  test('custom Secret keys', () => {
    const volume = podSpec(synth({ backend: { ...MINIO_BACKEND, credentials: { secretName: 's', accessKeyKey: 'user', secretKeyKey: 'password' } } })
      .one('Deployment')).volumes[0];
    expect(volume.secret.items).toEqual([{ key: 'user', path: 'accessKey' }, { key: 'password', path: 'secretKey' }]);
  });

  test('an https endpoint is reached on port 443', () => {
    // GIVEN a backend that lets the pods out to 9000 only
    const attempt = () => synth({ backend: { ...MINIO_BACKEND, endpoint: 'https://minio.example.com' } });
    // THEN
    expect(attempt).toThrow(validationError('test/S3www', "'backend.endpoint' (https://minio.example.com) is out of reach: no NetworkPolicy lets the pods of s3www 'web' "
      + "out to port 443; admit them on the backend (with @s3www-eks/minio: minio.allowFrom(...)) or call allowTo() with the backend's pods and port"));
  });

  describe('AWS S3 with workload identity', () => {
    const result = synth({
      backend: {
        bucket: 'my-site',
        region: 'eu-west-1',
        workloadIdentity: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/site-read' } },
      },
    });
    const spec = podSpec(result.one('Deployment'));

    test('uses the regional endpoint and no key files', () => {
      expect(spec.containers[0].args).toEqual([
        '-address', '0.0.0.0:8080', '-endpoint', 'https://s3.eu-west-1.amazonaws.com', '-bucket', 'my-site',
        '-allowed-cors-origins', 'https://no-cross-origin-access.invalid',
      ]);
      expect(spec.volumes).toEqual([]);
    });

    test('annotates the ServiceAccount and still mounts no API token (the webhooks project their own)', () => {
      expect(result.one('ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/site-read' });
      expect(spec.automountServiceAccountToken).toBe(false);
    });

    test('lets the pods out to any IPv4 address on 443 only, besides DNS', () => {
      expect(result.one('NetworkPolicy').spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    });

    test('needs no backend to admit it', () => {
      expect(() => synth({ backend: { bucket: 'my-site', workloadIdentity: {} } }, { admitted: false })).not.toThrow();
    });
  });
});

describe('connections', () => {
  const http = [{ port: 8080, protocol: 'TCP' }];
  const inSite = { matchLabels: { 'kubernetes.io/metadata.name': 'site' } };
  const policies = (objects: Obj[]) => objects.filter((o) => o.kind === 'NetworkPolicy');
  const selecting = (objects: Obj[], labels: Obj) => policies(objects).filter((o) => isDeepStrictEqual(o.spec.podSelector.matchLabels ?? {}, labels));

  test('allowFrom an IP block: the web pods\' ingress policy on 8080, nothing for the block', () => {
    let policy: NetworkPolicy | undefined;
    const result = synth({}, { namespace: 'site', after: (site) => { policy = site.allowFrom(NetworkPolicyIpBlock.ipv4(Chart.of(site), 'Vpc', '10.0.0.0/16', ['10.0.99.0/24'])); } });
    expect(policies(result.objects).map((o) => o.metadata.name)).toEqual(['web', policy!.name]);
    expect(policy!.name).toMatch(/^web-http-[0-9a-f]{8}$/);
    expect(result.one('NetworkPolicy', policy!.name).spec).toEqual({
      podSelector: { matchLabels: LABELS },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.99.0/24'] } }], ports: http }],
    });
  });

  test('allowFrom a plain cdk8s-plus Deployment: the policies admit exactly its pods to 8080, and let them out there only', () => {
    // GIVEN
    const chart = Testing.chart();
    const site = new S3www(chart, 'Site', { name: 'web', namespace: 'site', backend: MINIO_BACKEND });
    admitToMinio(App.of(chart), site);
    const client = new Deployment(chart, 'Client', { containers: [{ image: 'example/client:1.0' }], metadata: { namespace: 'tools' } });
    // WHEN
    const policy = site.allowFrom(client);
    expect(site.allowFrom(client)).toBe(policy);
    // THEN
    const objects: Obj[] = Testing.synth(chart);
    expectSchemaValid(objects);
    const clientLabels = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === 'tools').spec.selector.matchLabels;
    expect(selecting(objects, LABELS).flatMap((p) => p.spec.ingress ?? [])).toEqual([{
      from: [{ podSelector: { matchLabels: clientLabels }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tools' } } }],
      ports: http,
    }]);
    const out = selecting(objects, clientLabels);
    expect(out.map((p) => [p.metadata.name, p.metadata.namespace, p.spec.policyTypes])).toEqual([[`${policy.name}-egress`, 'tools', ['Egress']]]);
    expect(out[0].spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: LABELS }, namespaceSelector: inSite }], ports: http }]);
  });

  test('allowFrom with PodConnectionsIsolation.POD, e.g. an ingress controller that is not egress-isolated', () => {
    const result = synth({}, {
      namespace: 'site',
      after: (site) => {
        const chart = Chart.of(site);
        site.allowFrom(Pods.select(chart, 'Nginx', { labels: { app: 'ingress-nginx' }, namespaces: Namespaces.select(chart, 'Ingress', { names: ['ingress-nginx'] }) }),
          { isolation: PodConnectionsIsolation.POD });
      },
    });
    expect(policies(result.objects).filter((o) => o.metadata.namespace === 'ingress-nginx')).toEqual([]);
    expect(policies(result.objects)).toHaveLength(2);
  });

  test('allowTo a backend in the cluster: the web pods\' egress policy and the backend\'s ingress policy, on the ports given', () => {
    // GIVEN a MinIO that is not a construct of @s3www-eks/minio
    let policy: NetworkPolicy | undefined;
    const result = synth({}, {
      namespace: 'site',
      admitted: false,
      after: (site) => {
        const chart = Chart.of(site);
        const minio = Pods.select(chart, 'Minio', { labels: { 'app.kubernetes.io/name': 'minio' }, namespaces: Namespaces.select(chart, 'Storage', { names: ['storage'] }) });
        policy = site.allowTo(minio, { ports: [NetworkPolicyPort.tcp(9000)] });
      },
    });
    // THEN
    expect(policy!.name).toMatch(/^web-to-[0-9a-f]{8}$/);
    const minio = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'minio' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } } };
    expect(result.one('NetworkPolicy', policy!.name).spec).toEqual({ podSelector: { matchLabels: LABELS }, policyTypes: ['Egress'], egress: [{ to: [minio], ports: [{ port: 9000, protocol: 'TCP' }] }] });
    expect(result.one('NetworkPolicy', `${policy!.name}-ingress`)).toMatchObject({
      metadata: { namespace: 'storage' },
      spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'minio' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: LABELS }, namespaceSelector: inSite }], ports: [{ port: 9000, protocol: 'TCP' }] }] },
    });
  });

  test('allowTo a cdk8s-plus workload takes its container ports', () => {
    const chart = Testing.chart();
    const site = new S3www(chart, 'Site', { name: 'web', backend: MINIO_BACKEND });
    admitToMinio(App.of(chart), site);
    const api = new Deployment(chart, 'Api', { containers: [{ image: 'example/api:1.0', portNumber: 8081 }] });
    site.allowTo(api, { isolation: PodConnectionsIsolation.POD });
    const egress = Testing.synth(chart).find((o: Obj) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('web-to-'));
    expect(egress.spec.egress[0].ports).toEqual([{ port: 8081, protocol: 'TCP' }]);
  });

  test('is a pod selector and network peer of its web pods, in its namespace', () => {
    // GIVEN a backend's NetworkPolicy that admits the S3www, as cdk8s-plus writes one
    const admitted = (namespace?: string) => synth({}, {
      namespace,
      after: (site) => {
        const chart = Chart.of(site);
        new NetworkPolicy(chart, 'AdmitSite', { metadata: { name: 'admit-site' }, selector: Pods.select(chart, 'Backend', { labels: { app: 'backend' } }), ingress: { rules: [{ peer: site }] } });
      },
    });
    const rule = (result: ReturnType<typeof synth>) => result.objects.find((o) => o.metadata.name === 'admit-site').spec.ingress;
    // THEN
    expect(rule(admitted('site'))).toEqual([{ from: [{ podSelector: { matchLabels: LABELS }, namespaceSelector: inSite }], ports: [] }]);
    expect(rule(admitted())).toEqual([{ from: [{ podSelector: { matchLabels: LABELS } }], ports: [] }]);
    const site = admitted('site').s3www;
    expect(site.toPodSelector()).toBe(site);
  });

  test('a bare pod selector (Pods.select as Java and C# see it) is admitted as the selector itself would be', () => {
    const render = (bare: boolean) => synth({}, {
      namespace: 'site',
      after: (site) => {
        const pods = Pods.select(Chart.of(site), 'Client', { labels: { app: 'client' } });
        site.allowFrom(bare ? ({ node: pods.node, toPodSelectorConfig: () => pods.toPodSelectorConfig() } as IPodSelector) : pods);
      },
    }).objects;
    expect(render(true)).toEqual(render(false));
  });
});

describe('synth-time checks', () => {
  const exposedError = (prop: string, lb: string) => validationError('test/S3www', `'${prop}' exposes s3www 'web' through ${lb}, but no NetworkPolicy admits anyone to its pods on port 8080, `
    + 'so every target would stay unhealthy: call allowFrom() with the load balancer\'s sources, usually the VPC CIDR for IP targets '
    + '(allowFrom(NetworkPolicyIpBlock.ipv4(scope, \'Vpc\', vpcCidr)))');

  test.each([
    ['ingress', { ingress: {} }, 'an ALB'],
    ['loadBalancer', { loadBalancer: {} }, 'an NLB'],
  ])('an exposed site (%s) that admits nobody fails, naming allowFrom and the VPC CIDR', (prop, props, lb) => {
    expect(() => synth(props, { namespace: 'site' })).toThrow(exposedError(prop, lb));
  });

  test('the blackbox exporter does not count as a visitor', () => {
    expect(() => synth({ ingress: {}, monitoring: {} }, { namespace: 'site' })).toThrow(exposedError('ingress', 'an ALB'));
  });

  test('any NetworkPolicy of the app that admits the web pods counts, e.g. cdk8s-plus connections of a client', () => {
    const attempt = () => synth({ ingress: {} }, {
      namespace: 'site',
      after: (site) => {
        // (in a chart of its own: cdk8s-plus's Deployment is not of the restricted profile)
        const tools = new Chart(App.of(site), 'tools', { namespace: 'tools' });
        const client = new Deployment(tools, 'Client', { containers: [{ image: 'example/client:1.0' }] });
        client.connections.allowTo(site, { ports: [NetworkPolicyPort.tcp(8080)] });
      },
    });
    expect(attempt).not.toThrow();
  });

  test('a backend endpoint nothing lets the pods reach fails, naming both ways to open it', () => {
    expect(() => synth({}, { admitted: false })).toThrow(validationError('test/S3www', "'backend.endpoint' (http://minio.storage.svc.cluster.local:9000) is out of reach: "
      + "no NetworkPolicy lets the pods of s3www 'web' out to port 9000; admit them on the backend (with @s3www-eks/minio: minio.allowFrom(...)) or call allowTo() with the backend's pods and port"));
  });
});

describe('validation', () => {
  test.each([
    ['bucket too short', { backend: { ...MINIO_BACKEND, bucket: 'ab' } }, '\'backend.bucket\' must be 3 to 63 characters long, got \'ab\''],
    ['bucket upper case', { backend: { ...MINIO_BACKEND, bucket: 'My_Site' } }, '\'backend.bucket\' may only contain lowercase letters, digits, \'.\' and \'-\', got \'My_Site\''],
    ['bucket like an IP', { backend: { ...MINIO_BACKEND, bucket: '10.0.0.1' } }, '\'backend.bucket\' must not be formatted as an IP address, got \'10.0.0.1\''],
    ['bucket with ..', { backend: { ...MINIO_BACKEND, bucket: 'a..b' } }, '\'backend.bucket\' must not contain \'..\', \'.-\' or \'-.\', got \'a..b\''],
    ['credentials and workload identity', { backend: { ...MINIO_BACKEND, workloadIdentity: {} } },
      '\'backend.credentials\' and \'backend.workloadIdentity\' are mutually exclusive: set one of them'],
    ['neither credentials nor workload identity', { backend: { bucket: 'site' } },
      '\'backend\' needs \'credentials\' (a Secret with static keys) or \'workloadIdentity\' (Pod Identity or IRSA on AWS S3)'],
    ['endpoint scheme', { backend: { ...MINIO_BACKEND, endpoint: 'ftp://minio:21' } }, '\'backend.endpoint\' must be an http:// or https:// URL, got \'ftp://minio:21\''],
    ['endpoint path', { backend: { ...MINIO_BACKEND, endpoint: 'http://minio:9000/site' } },
      '\'backend.endpoint\' must be scheme://host[:port] without path, query or user info, got \'http://minio:9000/site\''],
    ['AWS region', { backend: { bucket: 'site', workloadIdentity: {}, region: 'Europe' } }, '\'backend.region\' must be a region name such as eu-west-1, got \'Europe\''],
    ['secret name', { backend: { ...MINIO_BACKEND, credentials: { secretName: 'Minio_Keys' } } },
      '\'backend.credentials.secretName\' must be a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', at most 253 characters), got \'Minio_Keys\''],
    ['secret key', { backend: { ...MINIO_BACKEND, credentials: { secretName: 's', accessKeyKey: 'a/b' } } },
      '\'backend.credentials.accessKeyKey\' must be a Secret data key (letters, digits, \'-\', \'_\' and \'.\'), got \'a/b\''],
    ['same secret keys', { backend: { ...MINIO_BACKEND, credentials: { secretName: 's', accessKeyKey: 'k', secretKeyKey: 'k' } } },
      '\'backend.credentials.secretKeyKey\' must differ from \'backend.credentials.accessKeyKey\', got \'k\''],
    ['name', { name: 'Web' }, '\'name\' must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit) of at most 40 characters, got \'Web\''],
    ['namespace', { namespace: 'web_site' },
      '\'namespace\' must be a DNS-1123 label (lowercase letters, digits and \'-\', starting and ending with a letter or digit) of at most 63 characters, got \'web_site\''],
    ['replicas', { replicas: -1 }, '\'replicas\' must be a whole number between 0 and 1000, got -1'],
    ['replicas and autoscaling', { replicas: 3, autoscaling: { minReplicas: 1, maxReplicas: 2 } }, '\'replicas\' and \'autoscaling\' are mutually exclusive: set one of them'],
    ['loadBalancer and ingress', { loadBalancer: {}, ingress: {} }, '\'loadBalancer\' and \'ingress\' are mutually exclusive: set one of them'],
    ['min above max', { autoscaling: { minReplicas: 3, maxReplicas: 2 } }, '\'autoscaling.minReplicas\' must not exceed \'autoscaling.maxReplicas\' (2), got 3'],
    ['min replicas', { autoscaling: { minReplicas: 0, maxReplicas: 2 } }, '\'autoscaling.minReplicas\' must be a whole number between 1 and 1000, got 0'],
    ['CPU target 0', { autoscaling: { minReplicas: 1, maxReplicas: 2, cpuUtilization: 0 } }, '\'autoscaling.cpuUtilization\' must be a whole number between 1 and 100, got 0'],
    ['CPU target 101', { autoscaling: { minReplicas: 1, maxReplicas: 2, cpuUtilization: 101 } }, '\'autoscaling.cpuUtilization\' must be a whole number between 1 and 100, got 101'],
    ['maxUnavailable', { maxUnavailable: 0 }, '\'maxUnavailable\' must be a whole number between 1 and 1, below the 2 pods of \'replicas\', so that a drain never takes them all, got 0'],
    ['maxUnavailable of every pod', { autoscaling: { minReplicas: 3, maxReplicas: 5 }, maxUnavailable: 3 },
      '\'maxUnavailable\' must be a whole number between 1 and 2, below the 3 pods of \'autoscaling.minReplicas\', so that a drain never takes them all, got 3'],
    ['maxUnavailable of one pod', { replicas: 1, maxUnavailable: 1 },
      '\'maxUnavailable\' needs at least 2 pods, and \'replicas\' is 1: no budget can keep one of them running; leave it out, got 1'],
    ['service port', { servicePort: 70000 }, '\'servicePort\' must be a whole number between 1 and 65535, got 70000'],
    ['image latest', { image: { tag: 'latest' } }, '\'image.tag\' must be a fixed image tag (letters, digits, \'_\', \'.\', \'-\'; not latest), got \'latest\''],
    ['image with a tag in the repository', { image: { repository: 'y4m4/s3www:v1' } },
      '\'image.repository\' must be an image repository without tag or digest, e.g. registry.example.com/mirror/app, got \'y4m4/s3www:v1\''],
    ['empty CORS list', { cors: { allowedOrigins: [] } },
      '\'cors.allowedOrigins\' must name at least one origin (s3www reads an empty list as every origin; set \'cors.allowAnyOrigin\' for that), got []'],
    ['CORS both ways', { cors: { allowedOrigins: ['https://a.example.com'], allowAnyOrigin: true } },
      '\'cors.allowedOrigins\' and \'cors.allowAnyOrigin\' are mutually exclusive: set one of them'],
    ['CORS origin with a path', { cors: { allowedOrigins: ['https://a.example.com/'] } },
      '\'cors.allowedOrigins[0]\' must be an origin: http(s)://host[:port] in lowercase (host may start with \'*.\'), without path or trailing slash, got \'https://a.example.com/\''],
    ['probe path', { probePath: 'index.html' }, '\'probePath\' must be an absolute URL path starting with \'/\', got \'index.html\''],
    ['spa file', { spaFile: '/index.html' }, '\'spaFile\' must be an object key without spaces, not starting with \'/\', got \'/index.html\''],
    ['bucket path', { bucketPath: 'a b' }, '\'bucketPath\' must be a non-empty path without spaces, got \'a b\''],
    ['certificate ARN', { ingress: { tls: { certificateArns: [CERT, 'arn:aws:iam::123456789012:server-certificate/x'] } } },
      '\'ingress.tls.certificateArns[1]\' must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), got \'arn:aws:iam::123456789012:server-certificate/x\''],
    ['certificate ARN without its id', { ingress: { tls: { certificateArns: ['arn:aws:acm:eu-west-1:123456789012:certificate/'] } } },
      '\'ingress.tls.certificateArns[0]\' must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), got \'arn:aws:acm:eu-west-1:123456789012:certificate/\''],
    ['no certificate', { ingress: { tls: { certificateArns: [] } } }, '\'ingress.tls.certificateArns\' must name at least one ACM certificate, got []'],
    ['a certificate twice', { ingress: { tls: { certificateArns: [CERT, CERT] } } }, `'ingress.tls.certificateArns' must name each certificate once, got '${CERT}'`],
    ['ingress host', { ingress: { host: 'WWW.example.com' } },
      '\'ingress.host\' must be a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', at most 253 characters), got \'WWW.example.com\''],
    ['health check path', { ingress: { healthCheckPath: 'health' } }, '\'ingress.healthCheckPath\' must be an absolute URL path starting with \'/\', got \'health\''],
    ['source range', { loadBalancer: { sourceRanges: ['10.0.0.0'] } }, '\'loadBalancer.sourceRanges[0]\' must be an IPv4 or IPv6 CIDR block such as 10.0.0.0/16, got \'10.0.0.0\''],
    ['CPU request above limit', { resources: { cpu: { request: Cpu.units(2), limit: Cpu.millis(500) } } }, '\'resources.cpu.request\' must not exceed \'resources.cpu.limit\' (500m), got \'2\''],
    ['memory request above limit', { resources: { memory: { request: Size.gibibytes(1), limit: Size.mebibytes(128) } } },
      '\'resources.memory.request\' must not exceed \'resources.memory.limit\' (128Mi), got \'1Gi\''],
    ['CPU quantity', { resources: { cpu: { request: Cpu.millis(0) } } }, '\'resources.cpu.request\' must be greater than zero, got \'0m\''],
    ['ephemeral storage', { resources: { ephemeralStorage: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } },
      '\'resources.ephemeralStorage.request\' must not exceed \'resources.ephemeralStorage.limit\' (1Gi), got \'2Gi\''],
    ['max skew', { topologySpread: { maxSkew: 0 } }, '\'topologySpread.maxSkew\' must be a whole number between 1 and 100, got 0'],
    ['no topology keys', { topologySpread: { topologyKeys: [] } }, '\'topologySpread.topologyKeys\' must name at least one node label, got []'],
  ])('%s', (_case, props, message) => {
    expect(() => synth(props as any)).toThrow(new Error(message));
  });
});
