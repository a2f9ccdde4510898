/**
 * What the NetworkPolicies of a whole cdk8s app open for some pods, read from the policies as they
 * will be written (whoever made them: a library, cdk8s-plus `connections`, a raw object). It lets a
 * workload find, at synth time, that nothing will ever reach it or that it can reach nothing.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The pods in question: their labels and namespace. */
export interface PodsInQuestion {
  readonly labels: Record<string, string>;
  /** Undefined: the namespace the manifests are applied to (policies without one). */
  readonly namespace?: string;
}

/** A port a policy opens: a number, a port name, or `*` for every port. */
export type OpenedPort = number | string;

/**
 * Every port that some NetworkPolicy of the app opens for the pods in `direction`, from any peer;
 * policies under `ignore` do not count.
 */
export function openedPorts(scope: IConstruct, pods: PodsInQuestion, direction: 'Ingress' | 'Egress', ignore: IConstruct[] = []): OpenedPort[] {
  const skipped = new Set(ignore.flatMap((c) => c.node.findAll()));
  const ports: OpenedPort[] = [];
  for (const c of scope.node.root.node.findAll()) {
    if (skipped.has(c) || !ApiObject.isApiObject(c) || c.kind !== 'NetworkPolicy' || c.apiVersion !== 'networking.k8s.io/v1') continue;
    const policy = c.toJson();
    if (policy.metadata?.namespace !== pods.namespace || !selects(policy.spec?.podSelector ?? {}, pods.labels)) continue;
    const types: string[] = policy.spec.policyTypes ?? (policy.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
    if (!types.includes(direction)) continue;
    for (const rule of (direction === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? []) {
      const rulePorts: Array<{ port?: number | string }> = rule.ports ?? [];
      if (rulePorts.length === 0) ports.push('*');
      for (const p of rulePorts) ports.push(p.port ?? '*');
    }
  }
  return ports;
}

/** True when a label selector (matchLabels only) selects pods with these labels. */
function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] }, labels: Record<string, string>): boolean {
  if ((selector.matchExpressions ?? []).length > 0) return false;
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** True when the ports include `port` (by number or by its name) or every port. */
export function opens(ports: OpenedPort[], port: number, name?: string): boolean {
  return ports.some((p) => p === '*' || p === port || (name !== undefined && p === name));
}
