import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-33';
import { expectError } from '../../../tools/testing/errors';
import { resolveResources } from '../src';

/** Quantities as the manifest renders them. */
function rendered(resources: k8s.ResourceRequirements): Record<string, Record<string, string>> {
  const flat = (q?: Record<string, k8s.Quantity>) => Object.fromEntries(Object.entries(q ?? {}).map(([k, v]) => [k, v.value as string]));
  return { requests: flat(resources.requests), limits: flat(resources.limits) };
}

const defaults = { cpuRequest: Cpu.millis(100), cpuLimit: Cpu.millis(500), memoryRequest: Size.mebibytes(128), memoryLimit: Size.mebibytes(256) };

describe('resources', () => {
  test('defaults fill every leaf', () => {
    expect(rendered(resolveResources('resources', undefined, defaults))).toEqual({
      requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' },
    });
  });

  test('given leaves replace the defaults; ephemeral storage passes through', () => {
    expect(rendered(resolveResources('resources', {
      cpu: { limit: Cpu.units(2) },
      ephemeralStorage: { request: Size.mebibytes(100), limit: Size.gibibytes(1) },
    }, defaults))).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '100Mi' },
      limits: { 'cpu': '2', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  describe('validation', () => {
    test('a request above its limit', () => {
      expectError(() => resolveResources('resources', { cpu: { request: Cpu.units(1) } }, defaults),
        "'resources.cpu.request' must not exceed 'resources.cpu.limit' (500m), got '1'");
    });
    test('a malformed ephemeral storage', () => {
      expectError(() => resolveResources('bucketJob.resources', { ephemeralStorage: { limit: Size.gibibytes(NaN) } }, defaults),
        "'bucketJob.resources.ephemeralStorage.limit' must be a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi, got 'NaNGi'");
    });
  });
});
