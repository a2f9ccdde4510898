/**
 * What the deploy and upgrade emulations share: a real API server with the CRDs the Helm releases
 * would bring, and the kubectl provider's custom resources of a template applied by the real
 * kubectl handler of the pinned aws-cdk-lib (tools/testing/kubectl-provider.ts).
 */
import { KubernetesOptions, KubernetesServer, startKubernetes } from '../../../tools/testing/kube-apiserver';
import { customResourceEvent, HandlerRun, KubectlHandler, KUBECTL_TYPES, StackContext, TemplateResource } from '../../../tools/testing/kubectl-provider';
import { OFFLINE_TARGET } from '../src/deployment-target';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { crdSets } = require('../../../tools/programs/crds.js') as { crdSets(): CrdSet[] };

type Json = Record<string, any>;

/** A set of CRDs, and the package it came from. */
export interface CrdSet {
  readonly name: string;
  readonly chart: string;
  readonly chartVersion: string;
  readonly module: string;
  readonly version: string;
  readonly files: string[];
}

/**
 * The Helm releases of the cluster library, and why none is applied here: the handler runs
 * `helm upgrade --install` with the chart fetched from its repository at deploy time, and the
 * charts' templates need values only a real cluster has (IAM roles, the VPC, the cluster name
 * reaching AWS). `crds` names the CRD set (tools/programs/crds.js) installed in their stead for what
 * our manifests use.
 */
export const HELM_RELEASES: Record<string, { reason: string; crds?: string }> = {
  'aws-load-balancer-controller': { reason: 'fetched from its chart repository at deploy time; creates the ALB through the AWS API. Our manifests use none of its CRDs (IngressClassParams, TargetGroupBinding)' },
  'cluster-autoscaler': { reason: 'fetched from its chart repository at deploy time; scales the node group through the AWS API. No CRDs' },
  'external-secrets': { reason: 'fetched from its chart repository at deploy time; reads Secrets Manager with its Pod Identity role', crds: 'external-secrets' },
  'kube-prometheus-stack': { reason: 'fetched from its chart repository at deploy time; runs Prometheus, Alertmanager and Grafana', crds: 'prometheus-operator' },
  'prometheus-blackbox-exporter': { reason: 'fetched from its chart repository at deploy time; probes s3www from inside the cluster. No CRDs' },
};

/** Why a KubernetesObjectValue is not run: it waits for a status only a controller on AWS writes. */
export const OBJECT_VALUE_REASON = 'reads the Ingress status, which the AWS Load Balancer Controller writes once it has created the ALB';

/** The stack of an environment, as the offline target deploys it. */
export function stackOf(environment: string): StackContext {
  return { account: OFFLINE_TARGET.account!, region: OFFLINE_TARGET.region!, stackName: `s3www-eks-${environment}` };
}

/** A started server with every CRD set installed (and established), taken as the reset baseline. */
export async function startClusterWithCrds(options: KubernetesOptions = {}): Promise<{ server: KubernetesServer; crds: CrdSet[] }> {
  const server = await startKubernetes(options);
  try {
    const crds = crdSets();
    for (const set of crds) {
      // As Helm installs a chart's crds/ folder: a plain create, no last-applied copy.
      for (const file of set.files) server.kubectlOk(['create', '-f', file]);
    }
    server.kubectlOk(['wait', '--for', 'condition=Established', '--timeout=60s', 'crd', '--all']);
    await server.markBaseline();
    return { server, crds };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** One custom resource handled, or skipped with its reason. */
export interface Step {
  readonly resource: TemplateResource;
  readonly run?: HandlerRun;
  readonly skipped?: string;
}

/**
 * The one warning that is not about our objects: `kubectl apply --prune` lists every kind of its
 * default prune allowlist to find what to delete, core/v1 Endpoints among them, and the server
 * flags that API as deprecated. Every stack update of any aws-eks-v2 cluster prints it.
 */
export const PRUNE_LIST_WARNING = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice';

/** What a deploy's steps got wrong, as readable lines (empty when every step was accepted without a warning). */
export function stepProblems(steps: Step[]): string[] {
  return steps.flatMap((s) => {
    const pruned = s.run && kubectlCommands(s.run).some((c) => c.includes('--prune'));
    return [
      ...(s.run?.error ? [`${s.resource.id}: ${s.run.error}`] : []),
      ...(s.run?.warnings ?? []).filter((w) => !(pruned && w === PRUNE_LIST_WARNING)).map((w) => `${s.resource.id}: ${w}`),
    ];
  });
}

/** Runs a custom resource of the kubectl provider through the real handler, or says why not. */
export function handle(handler: KubectlHandler, requestType: 'Create' | 'Update' | 'Delete', resource: TemplateResource,
  template: Json, stack: StackContext, old?: { resource: TemplateResource; template: Json }): Step {
  if (resource.type === KUBECTL_TYPES.helm) {
    const chart = resource.properties.Chart;
    const known = HELM_RELEASES[chart];
    if (!known) throw new Error(`Helm release ${chart} (${resource.id}) has no entry in HELM_RELEASES: say why it is not applied and which CRDs it brings`);
    return { resource, skipped: `Helm release ${chart} ${resource.properties.Version}: ${known.reason}` };
  }
  if (resource.type === KUBECTL_TYPES.objectValue) return { resource, skipped: OBJECT_VALUE_REASON };
  const event = customResourceEvent(requestType, resource, template, stack, old?.resource, old?.template);
  return { resource, run: handler.invoke(event) };
}

/** The kubectl commands the handler ran, from its log (`Running command: [...]`). */
export function kubectlCommands(run: HandlerRun): string[][] {
  return run.logs.filter((l) => l.startsWith('Running command: [\'kubectl'))
    .map((l) => JSON.parse(l.slice('Running command: '.length).replace(/'/g, '"')) as string[]);
}
