import { isDeepStrictEqual } from 'util';
import { Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { ImagePullPolicy } from 'cdk8s-plus-33';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { Minio, MinioProps, MinioTopology, PlacementPolicy } from '../src';
import { deployMinio, envOf, expectError, Json, named, only, serverContainer, synthValid } from './helpers';

const DIGEST = 'sha256:14cea493d9a34af32f524e538b8346cf79f3321eff8e708c1e2960462bd8936e';
const credentials = { secretName: 'minio-root' };

const deploy = deployMinio;

describe('standalone (default)', () => {
  // GIVEN / WHEN
  const { minio, objects } = deploy();
  const sts = only(objects, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const container = serverContainer(objects);

  test('emits a service account, the API and headless services, the StatefulSet and its NetworkPolicy only', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/minio', 'Service/minio', 'Service/minio-hl', 'StatefulSet/minio', 'NetworkPolicy/minio',
    ]);
    expect(objects.every((o) => o.metadata.namespace === 'storage')).toBe(true);
  });

  test('runs one pod with one drive', () => {
    expect(sts.spec.replicas).toBe(1);
    expect(container.command).toEqual(['minio']);
    expect(container.args).toEqual(['server', '/export', '--address', ':9000', '--certs-dir', '/home/minio/.minio/certs']);
    expect(pod.affinity).toBeUndefined();
    expect(pod.topologySpreadConstraints).toBeUndefined();
  });

  test('keeps data on a claim template of 10Gi with the default StorageClass', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'export', labels: minio.selectorLabels },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    }]);
    expect(container.volumeMounts).toContainEqual({ name: 'export', mountPath: '/export' });
  });

  test('writes nothing to the container filesystem: emptyDirs for /tmp and ~/.minio only', () => {
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'config', emptyDir: { sizeLimit: '16Mi' } },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'export', mountPath: '/export' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'config', mountPath: '/home/minio/.minio' },
    ]);
    expect(envOf(container).HOME).toBe('/home/minio');
  });

  test('runs as UID/GID 1000 with fsGroup OnRootMismatch, no token, no service links', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('minio');
    expect(only(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
  });

  test('probes the health endpoints', () => {
    const get = (path: string) => ({ path, port: 'api', scheme: 'HTTP' });
    expect(container.livenessProbe).toEqual({ httpGet: get('/minio/health/live'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    expect(container.readinessProbe).toEqual({ httpGet: get('/minio/health/cluster/read'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    expect(container.startupProbe).toEqual({ httpGet: get('/minio/health/live'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 60 });
  });

  test('reads the credentials from the Secret, never as values', () => {
    const env = envOf(container);
    expect(env.MINIO_ROOT_USER).toEqual({ secretKeyRef: { name: 'minio-root', key: 'accessKey' } });
    expect(env.MINIO_ROOT_PASSWORD).toEqual({ secretKeyRef: { name: 'minio-root', key: 'secretKey' } });
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(minio.credentialsSecret.name).toBe('minio-root');
    expect(minio.credentials).toEqual({ secretName: 'minio-root', accessKeyKey: 'accessKey', secretKeyKey: 'secretKey' });
  });

  test('turns the console off and declares the API port only', () => {
    expect(envOf(container).MINIO_BROWSER).toBe('off');
    expect(container.ports).toEqual([{ name: 'api', containerPort: 9000, protocol: 'TCP' }]);
    expect(minio.consoleServiceName).toBeUndefined();
  });

  test('pins the image by tag and digest with modest resources', () => {
    expect(container.image).toBe(`quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z@${DIGEST}`);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(pod.imagePullSecrets).toBeUndefined();
  });

  test('serves the API on a ClusterIP service and gives pods DNS names through a headless one', () => {
    const api = named(objects, 'Service', 'minio');
    expect(api.spec).toEqual({
      type: 'ClusterIP',
      selector: minio.selectorLabels,
      ports: [{ name: 'api', port: 9000, targetPort: 'api', protocol: 'TCP' }],
    });
    const headless = named(objects, 'Service', 'minio-hl');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(sts.spec.serviceName).toBe('minio-hl');
  });

  test('exposes what a client needs', () => {
    expect(minio.endpoint).toBe('http://minio.storage.svc.cluster.local:9000');
    expect(minio.serviceName).toBe('minio');
    expect(minio.headlessServiceName).toBe('minio-hl');
    expect(minio.port).toBe(9000);
    expect(minio.namespace).toBe('storage');
    expect(minio.selectorLabels).toEqual({
      'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'minio', 'app.kubernetes.io/component': 'server',
    });
    expect(sts.spec.selector.matchLabels).toEqual(minio.selectorLabels);
    expect(minio.topology.isDistributed).toBe(false);
    expect(minio.statefulSet.kind).toBe('StatefulSet');
    expect(minio.service.name).toBe('minio');
    expect(minio.networkPolicy.name).toBe('minio');
    expect(minio.bucketJob).toBeUndefined();
    expect(minio.serviceMonitor).toBeUndefined();
  });
});

describe('distributed', () => {
  test('runs every drive of every pod as one erasure-coded pool, addressed through the headless service', () => {
    // GIVEN / WHEN
    const { objects } = deploy({ topology: MinioTopology.distributed({ replicas: 4, drivesPerReplica: 2 }), clusterDomain: 'k8s.internal' });
    const sts = only(objects, 'StatefulSet');
    // THEN
    expect(sts.spec.replicas).toBe(4);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(serverContainer(objects).args.slice(0, 2)).toEqual([
      'server', 'http://minio-{0...3}.minio-hl.storage.svc.k8s.internal/export{0...1}',
    ]);
    expect(sts.spec.volumeClaimTemplates.map((t: Json) => t.metadata.name)).toEqual(['export-0', 'export-1']);
    expect(serverContainer(objects).volumeMounts.slice(0, 2)).toEqual([
      { name: 'export-0', mountPath: '/export0' }, { name: 'export-1', mountPath: '/export1' },
    ]);
  });

  test('one drive per pod mounts /export', () => {
    const { objects } = deploy({ topology: MinioTopology.distributed({ replicas: 4 }) });
    expect(serverContainer(objects).args[1]).toBe('http://minio-{0...3}.minio-hl.storage.svc.cluster.local/export');
  });

  test('spreads pods over zones (preferred) and nodes (required) by default', () => {
    const { minio, objects } = deploy({ topology: MinioTopology.distributed({ replicas: 4 }) });
    const pod = only(objects, 'StatefulSet').spec.template.spec;
    expect(pod.topologySpreadConstraints).toEqual([{
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: minio.selectorLabels },
    }]);
    expect(pod.affinity).toEqual({
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{
          labelSelector: { matchLabels: minio.selectorLabels }, topologyKey: 'kubernetes.io/hostname',
        }],
      },
    });
  });

  test.each([
    [PlacementPolicy.REQUIRED, 'DoNotSchedule'],
    [PlacementPolicy.PREFERRED, 'ScheduleAnyway'],
  ])('zoneSpread %s makes the zone constraint %s', (zoneSpread, whenUnsatisfiable) => {
    const { objects } = deploy({ topology: MinioTopology.distributed({ replicas: 4, zoneSpread }) });
    expect(only(objects, 'StatefulSet').spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe(whenUnsatisfiable);
  });

  test.each([
    [PlacementPolicy.REQUIRED, 'requiredDuringSchedulingIgnoredDuringExecution'],
    [PlacementPolicy.PREFERRED, 'preferredDuringSchedulingIgnoredDuringExecution'],
  ])('nodeSpread %s makes the anti-affinity %s', (nodeSpread, field) => {
    const { objects } = deploy({ topology: MinioTopology.distributed({ replicas: 4, nodeSpread }) });
    const anti = only(objects, 'StatefulSet').spec.template.spec.affinity.podAntiAffinity;
    expect(Object.keys(anti)).toEqual([field]);
    if (nodeSpread === PlacementPolicy.PREFERRED) {
      expect(anti[field][0].weight).toBe(100);
      expect(anti[field][0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    }
  });

  test('guards voluntary disruptions with a PodDisruptionBudget', () => {
    const { minio, objects } = deploy({ topology: MinioTopology.distributed({ replicas: 6, maxUnavailable: 2 }) });
    expect(only(objects, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 2, selector: { matchLabels: minio.selectorLabels }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });

  test('lets the nodes talk to each other on the API port', () => {
    const { minio, objects } = deploy({ topology: MinioTopology.distributed({ replicas: 4 }) });
    const policy = named(objects, 'NetworkPolicy', 'minio').spec;
    const peers = { podSelector: { matchLabels: minio.selectorLabels }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } } };
    expect(policy.ingress).toEqual([{ from: [peers], ports: [{ protocol: 'TCP', port: 9000 }] }]);
    expect(policy.egress).toContainEqual({ to: [peers], ports: [{ protocol: 'TCP', port: 9000 }] });
  });
});

describe('console', () => {
  test('is a ClusterIP service on 9001 that nothing may reach until allowed', () => {
    // GIVEN
    const { minio, objects } = deploy({ console: { browserRedirectUrl: 'https://console.example.com' } });
    const container = serverContainer(objects);
    // THEN
    expect(container.args).toEqual(expect.arrayContaining(['--console-address', ':9001']));
    expect(container.ports).toContainEqual({ name: 'console', containerPort: 9001, protocol: 'TCP' });
    expect(envOf(container).MINIO_BROWSER).toBeUndefined();
    expect(envOf(container).MINIO_BROWSER_REDIRECT_URL).toBe('https://console.example.com');
    expect(minio.consoleServiceName).toBe('minio-console');
    expect(named(objects, 'Service', 'minio-console').spec).toEqual({
      type: 'ClusterIP',
      selector: minio.selectorLabels,
      ports: [{ name: 'console', port: 9001, targetPort: 'console', protocol: 'TCP' }],
    });
    const ports = objects.filter((o) => o.kind === 'NetworkPolicy')
      .flatMap((p) => p.spec.ingress ?? []).flatMap((rule: Json) => rule.ports.map((p: Json) => p.port));
    expect(ports).not.toContain(9001);
  });

  test('allowConsoleFrom opens port 9001 to the peer', () => {
    // GIVEN
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials, name: 'minio', console: {} });
    // WHEN
    const policy = minio.allowConsoleFrom(kplus.Pods.select(chart, 'Ingress', { labels: { app: 'ingress' } }));
    // THEN
    const objects = synthValid(chart);
    const rendered = named(objects, 'NetworkPolicy', policy.name);
    expect(rendered.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'ingress' } } }], ports: [{ port: 9001, protocol: 'TCP' }] }]);
    expect(rendered.metadata.name).toMatch(/^minio-console-[0-9a-f]{8}$/);
    // and the ingress pods may send to the console, and nowhere else through this policy
    expect(named(objects, 'NetworkPolicy', `${policy.name}-egress`).spec).toEqual({
      podSelector: { matchLabels: { app: 'ingress' } },
      policyTypes: ['Egress'],
      egress: [{
        to: [{ podSelector: { matchLabels: minio.selectorLabels }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } } }],
        ports: [{ port: 9001, protocol: 'TCP' }],
      }],
    });
  });

  test('allowConsoleFrom fails while the console is off', () => {
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials });
    const peer = kplus.Pods.select(chart, 'Ingress', { labels: { app: 'ingress' } });
    expectError(() => minio.allowConsoleFrom(peer),
      `allowConsoleFrom(${peer.node.path}): the console is off; set 'console' to turn it on first`);
  });
});

describe('allowFrom', () => {
  const inStorage = { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } };
  const api = [{ port: 9000, protocol: 'TCP' }];

  test('admits the peer on the API port and lets the peer out to it, once per peer', () => {
    // GIVEN
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials, name: 'minio', namespace: 'storage' });
    const app = kplus.Pods.select(chart, 'App', { labels: { app: 's3www' } });
    // WHEN
    const policy = minio.allowFrom(app);
    const again = minio.allowFrom(app);
    // THEN MinIO's ingress policy, and the peer's egress policy (its pods are taken to be in MinIO's namespace)
    expect(again).toBe(policy);
    const objects = synthValid(chart);
    const rendered = named(objects, 'NetworkPolicy', policy.name);
    expect(rendered.metadata).toEqual({ name: policy.name, namespace: 'storage' });
    expect(rendered.spec).toEqual({
      podSelector: { matchLabels: minio.selectorLabels },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 's3www' } } }], ports: api }],
    });
    const egress = named(objects, 'NetworkPolicy', `${policy.name}-egress`);
    expect(egress.metadata.namespace).toBe('storage');
    expect(egress.spec).toEqual({
      podSelector: { matchLabels: { app: 's3www' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: minio.selectorLabels }, namespaceSelector: inStorage }], ports: api }],
    });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy')).toHaveLength(3);
  });

  test('a plain cdk8s-plus Deployment: the policies admit exactly its pods to the API port, and let them out there only', () => {
    // GIVEN a Deployment in another namespace whose pods are egress-isolated by the policy allowFrom writes
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials, name: 'minio', namespace: 'storage' });
    const app = new kplus.Deployment(chart, 'App', { containers: [{ image: 'example/app:1.0', portNumber: 8080 }], metadata: { namespace: 'web' } });
    // WHEN
    minio.allowFrom(app);
    // THEN (cdk8s-plus's Deployment is not of the restricted profile: the schema only)
    const objects: Json[] = Testing.synth(chart);
    expectSchemaValid(objects);
    const appLabels = only(objects, 'Deployment').spec.selector.matchLabels;
    const selecting = (labels: Json) => objects.filter((o) => o.kind === 'NetworkPolicy' && isDeepStrictEqual(o.spec.podSelector.matchLabels, labels));
    // what reaches MinIO: its own peers' rules (none, standalone) and the Deployment's pods on 9000
    const toMinio = selecting(minio.selectorLabels).flatMap((p) => p.spec.ingress ?? []);
    const fromWeb = { matchLabels: { 'kubernetes.io/metadata.name': 'web' } };
    expect(toMinio).toEqual([{ from: [{ podSelector: { matchLabels: appLabels }, namespaceSelector: fromWeb }], ports: api }]);
    // what the Deployment's pods may reach: MinIO on 9000, nothing else
    const fromApp = selecting(appLabels);
    expect(fromApp.map((p) => [p.metadata.namespace, p.spec.policyTypes])).toEqual([['web', ['Egress']]]);
    const toStorage = [{ podSelector: { matchLabels: minio.selectorLabels }, namespaceSelector: inStorage }];
    expect(fromApp[0].spec.egress).toEqual([{ to: toStorage, ports: api }]);
  });

  test('PodConnectionsIsolation.POD writes MinIO\'s side only, for a peer that is not egress-isolated', () => {
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials, name: 'minio', namespace: 'storage' });
    const policy = minio.allowFrom(kplus.Pods.select(chart, 'Reports', { labels: { app: 'reports' } }), { isolation: kplus.PodConnectionsIsolation.POD });
    const objects = synthValid(chart);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name)).toEqual(['minio', policy.name]);
  });

  test('an IP block gets MinIO\'s side only', () => {
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials, name: 'minio', namespace: 'storage' });
    const policy = minio.allowFrom(kplus.NetworkPolicyIpBlock.ipv4(chart, 'Office', '192.0.2.0/24'));
    const objects = synthValid(chart);
    expect(named(objects, 'NetworkPolicy', policy.name).spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: api }]);
    expect(objects.filter((o) => o.kind === 'NetworkPolicy')).toHaveLength(2);
  });

  test('a bare pod selector (Pods.select as Java and C# see it) is admitted as the selector itself would be', () => {
    // GIVEN the same selection, once as cdk8s-plus's Pods, once as nothing but an IPodSelector
    const render = (bare: boolean) => {
      const chart = Testing.chart();
      const minio = new Minio(chart, 'Minio', { credentials, name: 'minio', namespace: 'storage' });
      const web = kplus.Namespaces.select(chart, 'Web', { names: ['web'] });
      const app = kplus.Pods.select(chart, 'App', { labels: { app: 's3www' }, namespaces: web });
      const selector: kplus.IPodSelector = { node: app.node, toPodSelectorConfig: () => app.toPodSelectorConfig() } as kplus.IPodSelector;
      // WHEN
      const policy = minio.allowFrom(bare ? selector : app);
      expect(minio.allowFrom(bare ? selector : app)).toBe(policy);
      return synthValid(chart).filter((o) => o.kind === 'NetworkPolicy');
    };
    // THEN the same NetworkPolicies, names included
    const rendered = render(true);
    expect(rendered).toEqual(render(false));
    expect(rendered[1].spec.ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { app: 's3www' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } } }],
      ports: api,
    }]);
  });

  test('is a peer for cdk8s-plus workloads that open their own egress', () => {
    // GIVEN
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials, name: 'minio', namespace: 'storage' });
    const app = new kplus.Deployment(chart, 'App', {
      containers: [{ image: 'example/app:1.0', portNumber: 8080 }],
      metadata: { namespace: 'web' },
    });
    // WHEN
    app.connections.allowTo(minio, { isolation: kplus.PodConnectionsIsolation.POD, ports: [kplus.NetworkPolicyPort.tcp(minio.port)] });
    // THEN
    const objects: Json[] = Testing.synth(chart);
    expectSchemaValid(objects);
    const egress = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'web');
    expect(egress).toHaveLength(1);
    expect(egress[0].spec.egress).toEqual([{
      to: [{ podSelector: { matchLabels: minio.selectorLabels }, namespaceSelector: inStorage }],
      ports: api,
    }]);
    expect(minio.toPodSelector()).toBe(minio);
  });

  test('metrics admit the scraper to the API port, MinIO\'s side only: kube-prometheus-stack\'s Prometheus by default', () => {
    const prometheus = (objects: Json[]) => objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('minio-metrics-'));
    const byDefault = deploy({ metrics: {} }).objects;
    expect(prometheus(byDefault).map((p) => p.spec.ingress)).toEqual([[{
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: api,
    }]]);
    expect(byDefault.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === 'monitoring')).toEqual([]);
    const chart = Testing.chart();
    const own = deploy({ metrics: { scraper: kplus.Pods.select(chart, 'Scraper', { labels: { app: 'vmagent' } }) } }, chart).objects;
    expect(prometheus(own).map((p) => p.spec.ingress[0].from)).toEqual([[{ podSelector: { matchLabels: { app: 'vmagent' } } }]]);
  });

  test('the pods may resolve names at the cluster DNS, or where `dns` says', () => {
    const dnsRule = (objects: Json[]) => named(objects, 'NetworkPolicy', 'minio').spec.egress[0];
    expect(dnsRule(deploy().objects)).toEqual({
      to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    });
    const chart = Testing.chart();
    const nodeLocal = deploy({ dns: kplus.NetworkPolicyIpBlock.ipv4(chart, 'NodeLocalDns', '169.254.20.10/32') }, chart).objects;
    expect(dnsRule(nodeLocal).to).toEqual([{ ipBlock: { cidr: '169.254.20.10/32' } }]);
  });
});

describe('options', () => {
  test('storage size and class go to every claim template', () => {
    const { objects } = deploy({
      topology: MinioTopology.distributed({ replicas: 2, drivesPerReplica: 2 }),
      storage: { size: Size.gibibytes(100), storageClassName: 'gp3-encrypted' },
    });
    for (const template of only(objects, 'StatefulSet').spec.volumeClaimTemplates) {
      expect(template.spec.storageClassName).toBe('gp3-encrypted');
      expect(template.spec.resources.requests.storage).toBe('100Gi');
    }
  });

  test('a mirror keeps the default tag and digest', () => {
    const { objects } = deploy({ image: { repository: 'registry.example.com:5000/mirror/minio' }, imagePullSecrets: ['mirror-pull'] });
    expect(serverContainer(objects).image).toBe(`registry.example.com:5000/mirror/minio:RELEASE.2025-09-07T16-13-09Z@${DIGEST}`);
    expect(only(objects, 'StatefulSet').spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
  });

  test('a custom tag, digest and pull policy replace the defaults', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const { objects } = deploy({ image: { tag: 'RELEASE.2025-04-22T22-12-26Z', digest, pullPolicy: ImagePullPolicy.ALWAYS } });
    expect(serverContainer(objects).image).toBe(`quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z@${digest}`);
    expect(serverContainer(objects).imagePullPolicy).toBe('Always');
  });

  test('resources override the defaults leaf by leaf', () => {
    const { objects } = deploy({
      resources: { memory: { limit: Size.gibibytes(4) }, cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.units(2) } },
    });
    expect(serverContainer(objects).resources).toEqual({ requests: { cpu: '2', memory: '512Mi' }, limits: { cpu: '2', memory: '4Gi' } });
  });

  test('custom credential keys', () => {
    const { minio, objects } = deploy({ credentials: { secretName: 'root', accessKeyKey: 'rootUser', secretKeyKey: 'rootPassword' } });
    expect(envOf(serverContainer(objects)).MINIO_ROOT_PASSWORD).toEqual({ secretKeyRef: { name: 'root', key: 'rootPassword' } });
    expect(minio.credentials.accessKeyKey).toBe('rootUser');
  });

  test('the namespace defaults to the chart namespace, then to default', () => {
    const app = Testing.app();
    const inChart = new Minio(new Chart(app, 'a', { namespace: 'apps' }), 'Minio', { credentials });
    const bare = new Minio(new Chart(app, 'b'), 'Minio', { credentials });
    expect(inChart.namespace).toBe('apps');
    expect(bare.namespace).toBe('default');
    expect(bare.endpoint).toBe(`http://${bare.name}.default.svc.cluster.local:9000`);
    expect(bare.name).toMatch(/^b-minio-c8[0-9a-f]{6}$/);
  });
});

describe('secrets', () => {
  test('every credential-like variable of every container comes from a Secret reference', () => {
    // GIVEN every feature that touches a credential
    const { objects } = deploy({
      topology: MinioTopology.distributed({ replicas: 4 }),
      buckets: [{ name: 'site' }],
      console: {},
      metrics: { serviceMonitor: { bearerTokenSecret: { name: 'minio-prometheus', key: 'token' } } },
    });
    // THEN
    const containers = objects.flatMap((o) => o.spec?.template?.spec?.containers ?? []);
    expect(containers.map((c: Json) => c.name).sort()).toEqual(['mc', 'minio']);
    const sensitive = containers.flatMap((c: Json) => c.env).filter((e: Json) => /USER|PASSWORD|SECRET|TOKEN|KEY/.test(e.name));
    expect(sensitive.map((e: Json) => e.name).sort()).toEqual(['MINIO_ROOT_PASSWORD', 'MINIO_ROOT_PASSWORD', 'MINIO_ROOT_USER', 'MINIO_ROOT_USER']);
    for (const variable of sensitive) {
      expect(Object.keys(variable).sort()).toEqual(['name', 'valueFrom']);
      expect(Object.keys(variable.valueFrom)).toEqual(['secretKeyRef']);
    }
    expect(objects.filter((o) => o.kind === 'Secret' || o.kind === 'ConfigMap')).toEqual([]);
  });
});

describe('escape hatches', () => {
  test('a JSON patch on the StatefulSet reaches the manifest', () => {
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials, name: 'minio' });
    minio.statefulSet.addJsonPatch(JsonPatch.add('/spec/template/spec/tolerations', [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }]));
    expect(only(synthValid(chart), 'StatefulSet').spec.template.spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }]);
  });
});

describe('validation', () => {
  const attempt = (props: Partial<MinioProps>) => () => new Minio(Testing.chart(), 'Minio', { credentials, ...props });

  test.each([
    ['name', { name: 'Minio' }, "'name' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 40 characters, got 'Minio'"],
    ['name', { name: 'm'.repeat(41) }, `'name' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 40 characters, got '${'m'.repeat(41)}'`],
    ['namespace', { namespace: 'my_ns' }, "'namespace' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 63 characters, got 'my_ns'"],
    ['clusterDomain', { clusterDomain: 'cluster.local.' }, "'clusterDomain' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'cluster.local.'"],
    ['credentials', { credentials: { secretName: '' } }, "'credentials.secretName' must name an existing Secret that holds the access key and secret key, got ''"],
    ['credentials', { credentials: { secretName: 'root', accessKeyKey: 'key', secretKeyKey: 'key' } }, "'credentials.secretKeyKey' must differ from 'credentials.accessKeyKey', got 'key'"],
    ['storage', { storage: { size: Size.gibibytes(NaN) } }, "'storage.size' must be a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi, got 'NaNGi'"],
    ['storage', { storage: { size: Size.gibibytes(0) } }, "'storage.size' must be greater than zero, got '0Gi'"],
    ['storage', { storage: { storageClassName: 'GP3' } }, "'storage.storageClassName' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'GP3'"],
    ['resources', { resources: { cpu: { request: kplus.Cpu.millis(-5) } } }, "'resources.cpu.request' must be greater than zero, got '-5m'"],
    ['resources', { resources: { cpu: { limit: kplus.Cpu.units(NaN) } } }, "'resources.cpu.limit' must be a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi, got 'NaN'"],
    ['resources', { resources: { memory: { request: Size.gibibytes(2) } } }, "'resources.memory.request' must not exceed 'resources.memory.limit' (1Gi), got '2Gi'"],
    ['imagePullSecrets', { imagePullSecrets: ['Pull Secret'] }, "'imagePullSecrets[0]' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'Pull Secret'"],
    ['console', { console: { browserRedirectUrl: 'console.example.com' } }, "'console.browserRedirectUrl' must be an http:// or https:// URL, got 'console.example.com'"],
    ['image', { image: { tag: 'latest' } }, "'image.tag' must be a fixed image tag (letters, digits, '_', '.', '-'; not latest), got 'latest'"],
    ['bucketJob', { bucketJob: { backoffLimit: 1 } }, "'bucketJob' is set but 'buckets' is empty: declare the buckets the job should create"],
    ['resources', { resources: { ephemeralStorage: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } },
      "'resources.ephemeralStorage.request' must not exceed 'resources.ephemeralStorage.limit' (1Gi), got '2Gi'"],
  ])('bad %s fails', (_prop, props, message) => {
    expectError(attempt(props as Partial<MinioProps>), message);
  });
});
