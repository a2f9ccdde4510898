import { Chart, Testing } from 'cdk8s';
import { metricNames, promqlErrors } from './promql';
export { expectError } from '../../../tools/testing/errors';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { expectRestricted } from '../../../tools/testing/pod-security';
import { Minio, MinioProps } from '../src';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Json = Record<string, any>;

/**
 * Synthesizes the chart and runs the checks every manifest of this library must pass: the
 * official Kubernetes and Prometheus Operator schemas (unknown fields included), the restricted
 * Pod Security profile on every pod spec, a shape check of the ServiceMonitor, and Prometheus'
 * PromQL grammar on every alert and dashboard expression.
 */
export function synthValid(chart: Chart): Json[] {
  const objects: Json[] = Testing.synth(chart);
  expectSchemaValid(objects);
  expectRestricted(objects);
  for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
    expectServiceMonitorShape(monitor);
  }
  for (const expr of expressions(objects)) {
    expect(promqlErrors(expr)).toEqual([]);
  }
  return objects;
}

/** The alert rules of the one PrometheusRule. */
export function alertRulesOf(objects: Json[]): Json[] {
  return only(objects, 'PrometheusRule').spec.groups.flatMap((g: Json) => g.rules);
}

/** The parsed dashboards of the Grafana ConfigMaps. */
export function dashboardsOf(objects: Json[]): Json[] {
  return objects
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1')
    .flatMap((o) => Object.values<string>(o.data).map((text) => JSON.parse(text)));
}

/** Every PromQL expression of the alerts and the dashboards. */
export function expressions(objects: Json[]): string[] {
  const rules = objects.filter((o) => o.kind === 'PrometheusRule').flatMap((o) => o.spec.groups.flatMap((g: Json) => g.rules));
  const targets = dashboardsOf(objects).flatMap((d) => d.panels.flatMap((p: Json) => p.targets));
  return [...rules.map((r: Json) => r.expr), ...targets.map((t: Json) => t.expr)];
}

/** Every metric the alerts and dashboards read. */
export function metricsRead(objects: Json[]): string[] {
  return [...new Set(expressions(objects).flatMap(metricNames))].sort();
}

/** The fields of monitoring.coreos.com/v1 ServiceMonitor we emit, with their types. */
export function expectServiceMonitorShape(monitor: Json): void {
  expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
  expect(Object.keys(monitor).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  expect(typeof monitor.metadata.name).toBe('string');
  expect(typeof monitor.metadata.namespace).toBe('string');
  const spec = monitor.spec;
  expect(Object.keys(spec).sort()).toEqual(['endpoints', 'namespaceSelector', 'selector']);
  expect(Object.keys(spec.selector)).toEqual(['matchLabels']);
  expect(Object.keys(spec.namespaceSelector)).toEqual(['matchNames']);
  for (const endpoint of spec.endpoints) {
    for (const key of Object.keys(endpoint)) {
      expect(['port', 'path', 'scheme', 'interval', 'authorization', 'relabelings']).toContain(key);
    }
    expect(endpoint.interval).toMatch(/^[0-9]+s$/);
    if (endpoint.authorization) {
      expect(endpoint.authorization.type).toBe('Bearer');
      expect(Object.keys(endpoint.authorization.credentials).sort()).toEqual(['key', 'name']);
    }
  }
}

/** The one object of a kind (fails if there are none or several). */
export function only(objects: Json[], kind: string): Json {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The object of a kind with a name. */
export function named(objects: Json[], kind: string, name: string): Json {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')}`);
  return found;
}

/** The MinIO server container. */
export function serverContainer(objects: Json[]): Json {
  return only(objects, 'StatefulSet').spec.template.spec.containers[0];
}

/** A container's environment as name -> value or valueFrom. */
export function envOf(container: Json): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: Json) => [e.name, e.value ?? e.valueFrom]));
}

/** A Minio named `minio` in namespace `storage` (credentials from Secret `minio-root`), synthesized and checked. */
export function deployMinio(props: Partial<MinioProps> = {}, chart: Chart = Testing.chart()): { chart: Chart; minio: Minio; objects: Json[] } {
  const minio = new Minio(chart, 'Minio', { credentials: { secretName: 'minio-root' }, name: 'minio', namespace: 'storage', ...props });
  return { chart, minio, objects: synthValid(chart) };
}
