import { Chart, Size } from 'cdk8s';
import { Cpu, NetworkPolicy, Pods } from 'cdk8s-plus-33';
import { LoadBalancerScheme, NetworkPeer, S3www, SpreadPolicy } from '../src';
import { MINIO_BACKEND, podSpec, synth } from './support/synth';

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

  test('runs as UID/GID 65532 with no service-account token', () => {
    expect(podSpec(deployment).securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(podSpec(deployment).automountServiceAccountToken).toBe(false);
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

  test('a PodDisruptionBudget of one pod', () => {
    expect(result.one('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: LABELS } });
  });

  test('a NetworkPolicy that admits nothing and lets out DNS and the backend only', () => {
    expect(result.one('NetworkPolicy').spec).toEqual({
      podSelector: { matchLabels: LABELS },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        {
          to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        },
        {
          to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'minio' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } } }],
          ports: [{ protocol: 'TCP', port: 9000 }],
        },
      ],
    });
  });

  test('exposes the names a consumer needs', () => {
    expect(result.s3www).toMatchObject({
      name: 'web', serviceName: 'web', servicePort: 80, url: 'http://web.site.svc:80', selectorLabels: LABELS, serviceAccountName: 'web',
    });
    expect(result.s3www.seedJobName).toBeUndefined();
    expect(result.s3www.deployment.kind).toBe('Deployment');
    expect(result.s3www.service.kind).toBe('Service');
  });

  test('derives a unique name when none is given, and takes the chart namespace', () => {
    const derived = synth({ name: undefined });
    expect(derived.s3www.name).toMatch(/^test-s3www-[0-9a-f]{8}$/);
    expect(derived.s3www.url).toBe(`http://${derived.s3www.name}:80`);
    expect(derived.one('Deployment').metadata.namespace).toBeUndefined();
  });
});

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

  test('image, replicas and resources', () => {
    const deployment = synth({
      image: 'registry.example.com/s3www@sha256:' + 'a'.repeat(64),
      replicas: 4,
      resources: { cpu: { request: Cpu.millis(100), limit: Cpu.units(1) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
    }).one('Deployment');
    expect(deployment.spec.replicas).toBe(4);
    expect(podSpec(deployment).containers[0].image).toBe(`registry.example.com/s3www@sha256:${'a'.repeat(64)}`);
    expect(podSpec(deployment).containers[0].resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '256Mi' } });
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

  test('maxUnavailable', () => {
    expect(synth({ maxUnavailable: 2 }).one('PodDisruptionBudget').spec.maxUnavailable).toBe(2);
  });

  describe('loadBalancer', () => {
    test('an internet-facing NLB with IP targets by default', () => {
      const service = synth({ loadBalancer: {} }).one('Service');
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
      }).one('Service');
      expect(service.spec.loadBalancerSourceRanges).toEqual(['203.0.113.0/24']);
      expect(service.metadata.annotations).toMatchObject({
        'service.beta.kubernetes.io/aws-load-balancer-scheme': scheme,
        'service.beta.kubernetes.io/aws-load-balancer-name': 'site',
      });
    });
  });

  describe('ingress', () => {
    test('an internet-facing ALB on HTTP with IP targets and a health check on /', () => {
      const result = synth({ ingress: {} });
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

    test('a certificate adds HTTPS and redirects HTTP; host, scheme, path and annotations', () => {
      const ingress = synth({
        ingress: {
          certificateArn: CERT,
          host: 'www.example.com',
          scheme: LoadBalancerScheme.INTERNAL,
          healthCheckPath: '/index.html',
          annotations: { 'alb.ingress.kubernetes.io/group.name': 'shared' },
        },
      }).one('Ingress');
      expect(ingress.metadata.annotations).toEqual({
        'alb.ingress.kubernetes.io/scheme': 'internal',
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': '/index.html',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
        'alb.ingress.kubernetes.io/certificate-arn': CERT,
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/group.name': 'shared',
      });
      expect(ingress.spec.rules[0].host).toBe('www.example.com');
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

  test('allowFrom (prop and method) opens port 8080 to those peers only', () => {
    // GIVEN
    const vpc = NetworkPeer.ipBlock('10.0.0.0/16', ['10.0.99.0/24']);
    let returned: NetworkPeer | undefined;
    // WHEN
    const policy = synth({ allowFrom: [vpc] }, {
      after: (s3www: S3www) => { returned = s3www.allowFrom(NetworkPeer.namespace('ingress-nginx')); },
    }).one('NetworkPolicy');
    // THEN
    expect(returned?.namespaceName).toBe('ingress-nginx');
    expect(policy.spec.ingress).toEqual([{
      from: [
        { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.99.0/24'] } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
      ],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('dns names another resolver', () => {
    const policy = synth({ dns: NetworkPeer.pods({ 'k8s-app': 'node-local-dns' }, 'kube-system') }).one('NetworkPolicy');
    expect(policy.spec.egress[0].to).toEqual([{
      podSelector: { matchLabels: { 'k8s-app': 'node-local-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
    }]);
  });

  test('custom Secret keys', () => {
    const volume = podSpec(synth({ backend: { ...MINIO_BACKEND, credentials: { secretName: 's', accessKeyKey: 'user', secretKeyKey: 'password' } } })
      .one('Deployment')).volumes[0];
    expect(volume.secret.items).toEqual([{ key: 'user', path: 'accessKey' }, { key: 'password', path: 'secretKey' }]);
  });

  test('an https endpoint defaults to port 443', () => {
    const policy = synth({ backend: { ...MINIO_BACKEND, endpoint: 'https://minio.example.com' } }).one('NetworkPolicy');
    expect(policy.spec.egress[1].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
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
  });

  test('AWS S3 peers can be narrowed', () => {
    const policy = synth({ backend: { bucket: 'my-site', workloadIdentity: {}, peers: [NetworkPeer.ipBlock('52.216.0.0/15')] } }).one('NetworkPolicy');
    expect(policy.spec.egress[1].to).toEqual([{ ipBlock: { cidr: '52.216.0.0/15' } }]);
  });
});

describe('as a pod selector and network peer', () => {
  const INSTANCE = { 'app.kubernetes.io/name': 's3www', 'app.kubernetes.io/instance': 'web' };
  /** A backend's NetworkPolicy that admits the S3www, as `minio.allowFrom(site)` writes one. */
  const admitted = (namespace?: string) => synth({ seed: { sources: [{ url: 'https://example.com/index.html' }] } }, {
    namespace,
    after: (site) => {
      const chart = Chart.of(site);
      new NetworkPolicy(chart, 'AdmitSite', {
        metadata: { name: 'admit-site' },
        selector: Pods.select(chart, 'Backend', { labels: { app: 'backend' } }),
        ingress: { rules: [{ peer: site }] },
      });
    },
  });
  const rule = (result: ReturnType<typeof synth>) => result.objects.find((o) => o.metadata.name === 'admit-site').spec.ingress;

  test('selects the web and the seeder pods of the instance, in its namespace', () => {
    // GIVEN a backend that admits the S3www of namespace 'site'
    const result = admitted('site');
    // THEN the rule selects the labels both components carry, in that namespace
    expect(result.s3www.instanceLabels).toEqual(INSTANCE);
    expect(rule(result)).toEqual([{
      from: [{ podSelector: { matchLabels: INSTANCE }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'site' } } }],
      ports: [],
    }]);
    expect(result.one('Deployment').spec.template.metadata.labels).toEqual({ ...INSTANCE, 'app.kubernetes.io/component': 'web' });
    expect(result.one('Job').spec.template.metadata.labels).toMatchObject({ ...INSTANCE, 'app.kubernetes.io/component': 'seeder' });
  });

  test('without a namespace, selects them in the namespace of the policy', () => {
    expect(rule(admitted())).toEqual([{ from: [{ podSelector: { matchLabels: INSTANCE } }], ports: [] }]);
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
    ['endpoint without peers', { backend: { ...MINIO_BACKEND, peers: undefined } },
      '\'backend.peers\' must name where the backend at http://minio.storage.svc.cluster.local:9000 runs (e.g. NetworkPeer.pods(...)) so the NetworkPolicy can allow egress to it, got []'],
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
    ['maxUnavailable', { maxUnavailable: 0 }, '\'maxUnavailable\' must be a whole number between 1 and 1000, got 0'],
    ['service port', { servicePort: 70000 }, '\'servicePort\' must be a whole number between 1 and 65535, got 70000'],
    ['image latest', { image: 'y4m4/s3www:latest' }, '\'image\' must be pinned to a tag other than latest, or to a digest (e.g. repository:1.2.3), got \'y4m4/s3www:latest\''],
    ['image untagged', { image: 'y4m4/s3www' }, '\'image\' must be pinned to a tag other than latest, or to a digest (e.g. repository:1.2.3), got \'y4m4/s3www\''],
    ['empty CORS list', { cors: { allowedOrigins: [] } },
      '\'cors.allowedOrigins\' must name at least one origin (s3www reads an empty list as every origin; set \'cors.allowAnyOrigin\' for that), got []'],
    ['CORS both ways', { cors: { allowedOrigins: ['https://a.example.com'], allowAnyOrigin: true } },
      '\'cors.allowedOrigins\' and \'cors.allowAnyOrigin\' are mutually exclusive: set one of them'],
    ['CORS origin with a path', { cors: { allowedOrigins: ['https://a.example.com/'] } },
      '\'cors.allowedOrigins[0]\' must be an origin: http(s)://host[:port] in lowercase (host may start with \'*.\'), without path or trailing slash, got \'https://a.example.com/\''],
    ['probe path', { probePath: 'index.html' }, '\'probePath\' must be an absolute URL path starting with \'/\', got \'index.html\''],
    ['spa file', { spaFile: '/index.html' }, '\'spaFile\' must be an object key without spaces, not starting with \'/\', got \'/index.html\''],
    ['bucket path', { bucketPath: 'a b' }, '\'bucketPath\' must be a non-empty path without spaces, got \'a b\''],
    ['certificate ARN', { ingress: { certificateArn: 'arn:aws:iam::123456789012:server-certificate/x' } },
      '\'ingress.certificateArn\' must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID), got \'arn:aws:iam::123456789012:server-certificate/x\''],
    ['ingress host', { ingress: { host: 'WWW.example.com' } },
      '\'ingress.host\' must be a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', at most 253 characters), got \'WWW.example.com\''],
    ['health check path', { ingress: { healthCheckPath: 'health' } }, '\'ingress.healthCheckPath\' must be an absolute URL path starting with \'/\', got \'health\''],
    ['source range', { loadBalancer: { sourceRanges: ['10.0.0.0'] } }, '\'loadBalancer.sourceRanges[0]\' must be an IPv4 or IPv6 CIDR block such as 10.0.0.0/16, got \'10.0.0.0\''],
    ['CPU request above limit', { resources: { cpu: { request: Cpu.units(2), limit: Cpu.millis(500) } } }, '\'resources.cpu.request\' must not exceed \'resources.cpu.limit\' (500m), got \'2\''],
    ['memory request above limit', { resources: { memory: { request: Size.gibibytes(1), limit: Size.mebibytes(128) } } },
      '\'resources.memory.request\' must not exceed \'resources.memory.limit\' (128Mi), got \'1Gi\''],
    ['CPU quantity', { resources: { cpu: { request: Cpu.millis(0) } } }, '\'resources.cpu.request\' must be a positive CPU quantity such as 250m or 0.5, got \'0m\''],
    ['max skew', { topologySpread: { maxSkew: 0 } }, '\'topologySpread.maxSkew\' must be a whole number between 1 and 100, got 0'],
    ['no topology keys', { topologySpread: { topologyKeys: [] } }, '\'topologySpread.topologyKeys\' must name at least one node label, got []'],
  ])('%s', (_case, props, message) => {
    expect(() => synth(props as any)).toThrow(new Error(message));
  });
});
