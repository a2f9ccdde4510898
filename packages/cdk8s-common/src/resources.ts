/**
 * Container requests and limits: the user's values laid over the component's defaults leaf by
 * leaf, then checked (well-formed, positive, request not above limit) before they reach a pod
 * spec. All four resources count: cpu and memory (with defaults, as the restricted profile of
 * this project needs them), and ephemeral storage when given.
 */
import { Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-33';
import { positiveQuantity } from './quantity';
import { fail } from './validation';

/** A component's defaults for cpu and memory, request and limit. */
export interface ResourceDefaults {
  readonly cpuRequest: Cpu;
  readonly cpuLimit: Cpu;
  readonly memoryRequest: Size;
  readonly memoryLimit: Size;
}

/** Merges and validates resources; `prop` prefixes the names in error messages. */
export function resolveResources(prop: string, given: ContainerResources | undefined, defaults: ResourceDefaults): k8s.ResourceRequirements {
  const requests: Record<string, k8s.Quantity> = {};
  const limits: Record<string, k8s.Quantity> = {};
  const pair = (name: string, request: string | undefined, limit: string | undefined) => {
    const r = request === undefined ? undefined : positiveQuantity(`${prop}.${name}.request`, request);
    const l = limit === undefined ? undefined : positiveQuantity(`${prop}.${name}.limit`, limit);
    if (r !== undefined && l !== undefined && r > l) {
      fail(`${prop}.${name}.request`, `must not exceed '${prop}.${name}.limit' (${limit})`, request);
    }
    const key = name === 'ephemeralStorage' ? 'ephemeral-storage' : name;
    if (request !== undefined) requests[key] = k8s.Quantity.fromString(request);
    if (limit !== undefined) limits[key] = k8s.Quantity.fromString(limit);
  };
  pair('cpu', (given?.cpu?.request ?? defaults.cpuRequest).amount, (given?.cpu?.limit ?? defaults.cpuLimit).amount);
  pair('memory', (given?.memory?.request ?? defaults.memoryRequest).asString(), (given?.memory?.limit ?? defaults.memoryLimit).asString());
  if (given?.ephemeralStorage) {
    pair('ephemeralStorage', given.ephemeralStorage.request?.asString(), given.ephemeralStorage.limit?.asString());
  }
  return { requests, limits };
}
