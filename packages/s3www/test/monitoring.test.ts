import { Duration } from 'cdk8s';
import { NetworkPolicyIpBlock, Pods, Namespaces } from 'cdk8s-plus-33';
import { synth } from './support/synth';

const TARGET = 'http://web.site.svc.cluster.local:80/';

describe('monitoring', () => {
  describe('defaults', () => {
    // GIVEN / WHEN
    const result = synth({ monitoring: {} }, { namespace: 'site' });

    test('adds a Probe, a PrometheusRule and a dashboard ConfigMap, and no ServiceMonitor (s3www has no /metrics)', () => {
      expect(result.kinds()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'NetworkPolicy', 'PodDisruptionBudget', 'Probe', 'PrometheusRule', 'Service', 'ServiceAccount']);
      expect(result.kinds()).not.toContain('ServiceMonitor');
      expect(result.s3www.probe).toBeDefined();
      expect(result.s3www.prometheusRule).toBeDefined();
      expect(result.s3www.dashboard).toBeDefined();
    });

    test('the Probe fetches the Service root through the blackbox exporter of the monitoring namespace every 30s', () => {
      expect(result.one('Probe')).toEqual({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'Probe',
        metadata: {
          name: 'web',
          namespace: 'site',
          labels: {
            'app.kubernetes.io/name': 's3www',
            'app.kubernetes.io/instance': 'web',
            'app.kubernetes.io/component': 'monitoring',
            'app.kubernetes.io/managed-by': 'cdk8s',
          },
        },
        spec: {
          jobName: 's3www-site-web',
          interval: '30s',
          module: 'http_2xx',
          prober: { url: 'blackbox-exporter-prometheus-blackbox-exporter.monitoring.svc:9115', scheme: 'http', path: '/probe' },
          targets: { staticConfig: { static: [TARGET], labels: { namespace: 'site', service: 'web' } } },
        },
      });
    });

    test('a NetworkPolicy admits the blackbox exporter pods to port 8080, and writes nothing for the exporter\'s side', () => {
      const prober = result.objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.startsWith('web-prober-'));
      expect(prober.map((p) => [p.metadata.namespace, p.spec.podSelector.matchLabels['app.kubernetes.io/component']])).toEqual([['site', 'web']]);
      expect(prober[0].spec.ingress).toEqual([{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus-blackbox-exporter' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }]);
    });
  });

  test('without monitoring no policy admits a prober', () => {
    const policies = synth({}, { namespace: 'site' }).objects.filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.spec.ingress)).toEqual([undefined]);
  });

  test('prober, module, path, interval, port, selector labels and the construct namespace are configurable', () => {
    // WHEN
    const result = synth((chart) => ({
      namespace: 'web-prod',
      servicePort: 8000,
      monitoring: {
        prober: Pods.select(chart, 'Blackbox', { labels: { app: 'blackbox' }, namespaces: Namespaces.select(chart, 'Observability', { names: ['observability'] }) }),
        proberUrl: 'blackbox.observability.svc:9115',
        module: 'http_2xx_fast',
        path: '/index.html',
        interval: Duration.minutes(1),
        ruleSelectorLabels: { release: 'kube-prometheus-stack' },
      },
    }), { after: (site) => site.allowFrom(NetworkPolicyIpBlock.ipv4(site, 'Vpc', '10.0.0.0/16')) });
    // THEN
    const probe = result.one('Probe');
    expect(probe.metadata).toMatchObject({ namespace: 'web-prod', labels: { release: 'kube-prometheus-stack' } });
    expect(probe.spec).toMatchObject({
      jobName: 's3www-web-prod-web',
      interval: '60s',
      module: 'http_2xx_fast',
      prober: { url: 'blackbox.observability.svc:9115' },
      targets: { staticConfig: { static: ['http://web.web-prod.svc.cluster.local:8000/index.html'] } },
    });
    expect(result.one('PrometheusRule').metadata.labels.release).toBe('kube-prometheus-stack');
    expect(result.one('ConfigMap').metadata.labels).toMatchObject({ release: 'kube-prometheus-stack', grafana_dashboard: '1' });
    expect(result.objects.filter((o) => o.kind === 'NetworkPolicy').flatMap((p) => p.spec.ingress ?? [])).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'blackbox' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 8080 }] },
    ]);
  });

  describe('validation', () => {
    const bad = (monitoring: object) => () => synth({ monitoring }, { namespace: 'site' });

    test('needs a namespace', () => {
      expect(() => synth({ monitoring: {} })).toThrow("'namespace' must be set (on the S3www or its chart) when 'monitoring' is on: the blackbox exporter reaches the Service by <name>.<namespace>.svc, got undefined");
    });

    test.each([
      [{ proberUrl: 'http://blackbox:9115' }, "'monitoring.proberUrl' must be host:port of the blackbox exporter, without a scheme, got 'http://blackbox:9115'"],
      [{ module: 'http 2xx' }, "'monitoring.module' must be a blackbox exporter module name (letters, digits, '_' and '-'), got 'http 2xx'"],
      [{ path: 'index.html' }, "'monitoring.path' must be an absolute URL path starting with '/', got 'index.html'"],
      [{ interval: Duration.seconds(5) }, "'monitoring.interval' must be a whole number of seconds between 10 and 300, got '5s'"],
      [{ interval: Duration.minutes(10) }, "'monitoring.interval' must be a whole number of seconds between 10 and 300, got '600s'"],
      [{ interval: Duration.millis(15500) }, "'monitoring.interval' must be a whole number of seconds between 10 and 300, got '15.5s'"],
      [{ probeFailingMinutes: 0 }, "'monitoring.probeFailingMinutes' must be a whole number between 1 and 60, got 0"],
      [{ probeFailingMinutes: 61 }, "'monitoring.probeFailingMinutes' must be a whole number between 1 and 60, got 61"],
      [{ slowProbeMillis: 5 }, "'monitoring.slowProbeMillis' must be a whole number between 10 and 60000, got 5"],
      [{ slowProbeMillis: 1.5 }, "'monitoring.slowProbeMillis' must be a whole number between 10 and 60000, got 1.5"],
      [{ availabilityObjective: 100 }, "'monitoring.availabilityObjective' must be a percentage of successful probes between 90 and 99.99 (e.g. 99.9), got 100"],
      [{ availabilityObjective: 0.999 }, "'monitoring.availabilityObjective' must be a percentage of successful probes between 90 and 99.99 (e.g. 99.9), got 0.999"],
      [{ availabilityObjective: Number.NaN }, "'monitoring.availabilityObjective' must be a percentage of successful probes between 90 and 99.99 (e.g. 99.9), got NaN"],
      [{ runbookBaseUrl: 'https://example.com/ops.md#x' }, "'monitoring.runbookBaseUrl' must be an http(s) URL without a fragment, got 'https://example.com/ops.md#x'"],
      [{ dashboardNamespace: 'Monitoring' }, "'monitoring.dashboardNamespace' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 63 characters, got 'Monitoring'"],
      [{ ruleSelectorLabels: { release: 'not valid' } },
        "'monitoring.ruleSelectorLabels.release' must be a Kubernetes label value (at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit), got 'not valid'"],
      [{ ruleSelectorLabels: { '-bad': 'x' } },
        "'monitoring.ruleSelectorLabels' keys must be Kubernetes label keys ([prefix/]name, the name at most 63 letters, digits, '-', '_' and '.'), got '-bad'"],
    ])('%j', (monitoring, message) => {
      expect(bad(monitoring)).toThrow(message);
    });
  });
});
