/**
 * Container requests and limits: the user's values over our defaults, then checked, because the
 * restricted profile of this project needs all four and a request above its limit is refused.
 */
import { Size } from 'cdk8s';
import { ContainerResources, Cpu, k8s } from 'cdk8s-plus-33';
import { fail } from './validation';

export interface ResourceDefaults {
  readonly cpuRequest: Cpu;
  readonly cpuLimit: Cpu;
  readonly memoryRequest: Size;
  readonly memoryLimit: Size;
}

export function resolveResources(prop: string, given: ContainerResources | undefined, defaults: ResourceDefaults): k8s.ResourceRequirements {
  const cpuRequest = given?.cpu?.request ?? defaults.cpuRequest;
  const cpuLimit = given?.cpu?.limit ?? defaults.cpuLimit;
  const memoryRequest = given?.memory?.request ?? defaults.memoryRequest;
  const memoryLimit = given?.memory?.limit ?? defaults.memoryLimit;
  if (millicores(`${prop}.cpu.request`, cpuRequest.amount) > millicores(`${prop}.cpu.limit`, cpuLimit.amount)) {
    fail(`${prop}.cpu.request`, `must not exceed '${prop}.cpu.limit' (${cpuLimit.amount})`, cpuRequest.amount);
  }
  if (memoryRequest.toKibibytes() > memoryLimit.toKibibytes()) {
    fail(`${prop}.memory.request`, `must not exceed '${prop}.memory.limit' (${memoryLimit.asString()})`, memoryRequest.asString());
  }
  return {
    requests: { cpu: k8s.Quantity.fromString(cpuRequest.amount), memory: k8s.Quantity.fromString(memoryRequest.asString()) },
    limits: { cpu: k8s.Quantity.fromString(cpuLimit.amount), memory: k8s.Quantity.fromString(memoryLimit.asString()) },
  };
}

function millicores(prop: string, amount: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(amount);
  if (!match || Number(match[1]) <= 0) fail(prop, 'must be a positive CPU quantity such as 250m or 0.5', amount);
  return match[2] === 'm' ? Number(match[1]) : Number(match[1]) * 1000;
}
