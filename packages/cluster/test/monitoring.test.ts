import { Duration, Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { Capacity, GrafanaAdminCredentials, Monitoring, MonitoringOptions } from '../src';
import { addContent, clusterStack, helmReleases, manifests, providerFootprint } from './fixtures';

const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';
const HELM = 'Custom::AWSCDK-EKS-HelmChart';

function monitoringTemplate(monitoring: MonitoringOptions = {}): { template: Template; monitoringConstruct: Monitoring } {
  const { stack, cluster } = clusterStack({ monitoring });
  return { template: Template.fromStack(stack), monitoringConstruct: cluster.monitoring! };
}

function values(template: Template, release: string): Record<string, any> {
  return JSON.parse(helmReleases(template)[release].Values);
}

/** The objects of a manifest whose JSON contains CloudFormation references, each reference shown as REF:<logical id>. */
function manifestWithRefs(template: Template, idPattern: string): Array<Record<string, any>> {
  const manifest = template.toJSON().Resources[logicalId(template, MANIFEST, idPattern)].Properties.Manifest;
  const [, parts] = manifest['Fn::Join'] as [string, unknown[]];
  return JSON.parse(parts.map((p: any) => (typeof p === 'string' ? p : `REF:${p.Ref ?? p['Fn::GetAtt']?.[0]}`)).join(''));
}

function logicalId(template: Template, type: string, pattern: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(pattern));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('monitoring with defaults', () => {
  let template: Template;
  beforeAll(() => {
    template = monitoringTemplate().template;
  });

  test('installs pinned kube-prometheus-stack and blackbox exporter releases in the monitoring namespace and waits for them', () => {
    const releases = helmReleases(template);
    expect(releases['kube-prometheus-stack']).toEqual(expect.objectContaining({
      Chart: 'kube-prometheus-stack',
      Version: '88.1.3',
      Repository: 'https://prometheus-community.github.io/helm-charts',
      Namespace: 'monitoring',
      Wait: true,
      Timeout: '900s',
    }));
    // The Namespace manifest owns the namespace; aws-eks-v2 omits CreateNamespace when it is false.
    expect(releases['kube-prometheus-stack'].CreateNamespace).toBeUndefined();
    expect(releases['blackbox-exporter']).toEqual(expect.objectContaining({
      Chart: 'prometheus-blackbox-exporter', Version: '11.18.0', Namespace: 'monitoring', Wait: true,
    }));
    expect(releases['blackbox-exporter'].CreateNamespace).toBeUndefined();
  });

  test('Prometheus selects every rule, ServiceMonitor, PodMonitor and Probe regardless of Helm labels', () => {
    expect(values(template, 'kube-prometheus-stack').prometheus.prometheusSpec).toEqual(expect.objectContaining({
      ruleSelectorNilUsesHelmValues: false,
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
      probeSelectorNilUsesHelmValues: false,
    }));
  });

  test('Prometheus keeps 10 days on a 50 GiB gp3 volume and stops at 85% of it', () => {
    const spec = values(template, 'kube-prometheus-stack').prometheus.prometheusSpec;
    expect(spec.retention).toBe('10d');
    expect(spec.retentionSize).toBe('43520MB');
    expect(spec.storageSpec.volumeClaimTemplate.spec).toEqual({ storageClassName: 'gp3', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } });
  });

  test('does not scrape the control plane components EKS hides', () => {
    const v = values(template, 'kube-prometheus-stack');
    for (const component of ['kubeControllerManager', 'kubeScheduler', 'kubeEtcd', 'kubeProxy']) {
      expect(v[component]).toEqual({ enabled: false });
    }
  });

  test('Grafana loads grafana_dashboard=1 ConfigMaps from every namespace and takes its admin from the grafana-admin Secret', () => {
    expect(values(template, 'kube-prometheus-stack').grafana).toEqual({
      enabled: true,
      admin: { existingSecret: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' },
      sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' } },
    });
  });

  test('the blackbox exporter has the http_2xx module', () => {
    expect(values(template, 'blackbox-exporter').config.modules.http_2xx).toEqual(expect.objectContaining({ prober: 'http', timeout: '5s' }));
    expect(Monitoring.BLACKBOX_EXPORTER_URL).toBe('blackbox-exporter-prometheus-blackbox-exporter.monitoring.svc:9115');
  });

  test('generates the Grafana password in Secrets Manager and syncs it; the template holds no password', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"username":"admin"}', GenerateStringKey: 'password', ExcludePunctuation: true, PasswordLength: 32 },
    });
    const externalSecret = manifestWithRefs(template, 'GrafanaAdminSync').find((m) => m.kind === 'ExternalSecret')!;
    expect(externalSecret.metadata).toEqual(expect.objectContaining({ name: 'grafana-admin', namespace: 'monitoring' }));
    expect(externalSecret.spec.data[0].remoteRef.key).toMatch(/^REF:ClusterGrafanaAdmin/);
    expect(externalSecret.spec.data.map((d: any) => [d.secretKey, d.remoteRef.property])).toEqual([['admin-user', 'username'], ['admin-password', 'password']]);
    expect(JSON.stringify(template.toJSON())).not.toMatch(/prom-operator|adminPassword/);
  });

  test('creates the namespace, then the secret, then Grafana; content waits for the stack', () => {
    const resources = template.toJSON().Resources;
    const namespace = logicalId(template, MANIFEST, 'MonitoringNamespace');
    const sync = logicalId(template, MANIFEST, 'GrafanaAdminSync');
    const stackId = logicalId(template, HELM, 'PrometheusStack');
    expect(resources[sync].DependsOn).toEqual(expect.arrayContaining([namespace, logicalId(template, HELM, 'ExternalSecretsChart')]));
    expect(resources[stackId].DependsOn).toEqual(expect.arrayContaining([namespace, sync, logicalId(template, MANIFEST, 'ClusterPlatform'), logicalId(template, HELM, 'AlbController')]));
  });

  test('every Kubernetes object is schema-valid and the namespace admits node-exporter', () => {
    const objects = [...manifests(template), ...manifestWithRefs(template, 'GrafanaAdminSync')];
    expectSchemaValid(objects);
    expect(objects.find((m) => m.kind === 'Namespace')!.metadata.labels).toEqual(expect.objectContaining({ 'pod-security.kubernetes.io/enforce': 'privileged' }));
  });

  test('creates the kubectl provider', () => {
    expect(providerFootprint(template).lambdas).toBe(2);
  });
});

describe('monitoring options', () => {
  test('retention and storage size are configurable', () => {
    // GIVEN / WHEN
    const { template } = monitoringTemplate({ retention: Duration.hours(36), storageSize: Size.gibibytes(200), chartVersion: '88.2.0', blackboxExporterChartVersion: '11.19.0' });

    // THEN
    const spec = values(template, 'kube-prometheus-stack').prometheus.prometheusSpec;
    expect(spec.retention).toBe('36h');
    expect(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe('200Gi');
    expect(helmReleases(template)['kube-prometheus-stack'].Version).toBe('88.2.0');
    expect(helmReleases(template)['blackbox-exporter'].Version).toBe('11.19.0');
  });

  test('extra values merge over the construct\'s without dropping its settings', () => {
    // GIVEN / WHEN
    const { template } = monitoringTemplate({
      prometheusStackValues: {
        alertmanager: { config: { route: { receiver: 'ops' }, receivers: [{ name: 'ops' }] } },
        prometheus: { prometheusSpec: { resources: { requests: { cpu: '500m', memory: '2Gi' } }, retention: '30d' } },
        kubeProxy: true,
      },
    });

    // THEN
    const v = values(template, 'kube-prometheus-stack');
    expect(v.alertmanager.config.receivers).toEqual([{ name: 'ops' }]);
    expect(v.prometheus.prometheusSpec).toEqual(expect.objectContaining({
      resources: { requests: { cpu: '500m', memory: '2Gi' } },
      retention: '30d',
      ruleSelectorNilUsesHelmValues: false,
      storageSpec: expect.objectContaining({ volumeClaimTemplate: expect.anything() }),
    }));
    expect(v.kubeProxy).toBe(true);
    expect(v.grafana.sidecar.dashboards.searchNamespace).toBe('ALL');
  });

  test('an existing Kubernetes Secret needs neither External Secrets Operator nor a Secrets Manager secret', () => {
    // GIVEN / WHEN
    const { template, monitoringConstruct } = monitoringTemplate({ grafanaAdmin: GrafanaAdminCredentials.fromKubernetesSecret('ops-grafana', 'user', 'pass') });

    // THEN
    expect(values(template, 'kube-prometheus-stack').grafana.admin).toEqual({ existingSecret: 'ops-grafana', userKey: 'user', passwordKey: 'pass' });
    expect(Object.keys(helmReleases(template))).not.toContain('external-secrets');
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(monitoringConstruct.grafanaAdmin.secretsManagerSecret).toBeUndefined();
  });

  test('a given Secrets Manager secret is synced with its own JSON fields and readable by the operator only', () => {
    // GIVEN
    const { stack, cluster } = clusterStack({ capacity: Capacity.autoMode() });
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Admin', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:grafana-AbCdEf');

    // WHEN
    const { stack: withMonitoring } = clusterStack({ monitoring: { grafanaAdmin: GrafanaAdminCredentials.fromSecretsManager(secret, 'user', 'pass') } }, stack.node.root as any, 'Second');

    // THEN
    const template = Template.fromStack(withMonitoring);
    const externalSecret = manifests(template).find((m) => m.kind === 'ExternalSecret')!;
    expect(externalSecret.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
      ['admin-user', secret.secretArn, 'user'],
      ['admin-password', secret.secretArn, 'pass'],
    ]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: secret.secretArn })]) },
    });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(cluster.monitoring).toBeUndefined();
  });

  test('content with monitoring objects is applied after the stack installed the CRDs', () => {
    // GIVEN
    const { stack, cluster } = clusterStack({ monitoring: {} });

    // WHEN
    addContent(stack, cluster);

    // THEN
    const template = Template.fromStack(stack);
    const chart = Object.entries(template.findResources(MANIFEST, { Properties: { Manifest: Match.stringLikeRegexp('"ConfigMap"') } }));
    expect(chart).toHaveLength(1);
    expect(chart[0][1].DependsOn).toEqual(expect.arrayContaining([logicalId(template, HELM, 'PrometheusStack'), logicalId(template, HELM, 'BlackboxExporter')]));
  });

  test('is off by default', () => {
    const { stack, cluster } = clusterStack();
    addContent(stack, cluster);
    expect(Object.keys(helmReleases(Template.fromStack(stack)))).not.toContain('kube-prometheus-stack');
    expect(cluster.monitoring).toBeUndefined();
  });
});

describe('validation', () => {
  test.each([
    [Duration.hours(1), '1 hour'],
    [Duration.minutes(150), '2 hours 30 minutes'],
  ])('rejects a retention of %s', (retention, human) => {
    expect(() => monitoringTemplate({ retention })).toThrow(`'monitoring.retention' must be a whole number of hours, at least 2, got ${human}`);
  });

  test.each([
    [Size.mebibytes(512), '0.5'],
    [Size.gibibytes(0), '0'],
  ])('rejects a storage size of %s', (storageSize, gib) => {
    expect(() => monitoringTemplate({ storageSize })).toThrow(`'monitoring.storageSize' must be a whole number of GiB, at least 1, got ${gib} GiB`);
  });

  test('rejects an invalid Secret name', () => {
    expect(() => GrafanaAdminCredentials.fromKubernetesSecret('Grafana_Admin'))
      .toThrow("'grafanaAdmin secretName' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'Grafana_Admin'");
  });

  test('rejects an invalid Secret key', () => {
    expect(() => GrafanaAdminCredentials.fromKubernetesSecret('grafana', 'user name'))
      .toThrow("'grafanaAdmin userKey' must be a Kubernetes Secret key (letters, digits, '-', '_' and '.'), got 'user name'");
  });
});
