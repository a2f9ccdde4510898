/**
 * Pod Security as the API server decides it. Pod Security admission enforces only on Pods: on a
 * Deployment, Job or StatefulSet it merely warns. So every pod template is also sent as the Pod a
 * controller would create from it, with a server-side dry run in its namespace: the namespace's
 * enforced level (and the ServiceAccount admission, and Pod validation) decide.
 */
import { KubernetesServer } from './kube-apiserver';
import { FoundPodTemplate, findPodTemplates, podFromTemplate } from './pod-security';

type Json = Record<string, any>;

/** The server's verdict on one pod template. */
export interface PodVerdict {
  readonly owner: string;
  readonly namespace: string;
  /** Undefined when the Pod was admitted. */
  readonly rejection?: string;
  readonly warnings: string[];
}

/** Dry-run creates the Pod of a template in a namespace; the template's own namespace when none is given. */
export async function admitPod(server: KubernetesServer, template: FoundPodTemplate, namespace?: string): Promise<PodVerdict> {
  const ns = namespace ?? template.namespace ?? 'default';
  const name = `${template.owner.split(' ')[1].slice(0, 50)}-0`.toLowerCase();
  const pod = podFromTemplate({ ...template, namespace: ns }, name);
  const res = await server.request('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All&fieldValidation=Strict`, pod);
  return {
    owner: template.owner,
    namespace: ns,
    rejection: res.status === 201 ? undefined : `${res.status} ${res.body.message ?? JSON.stringify(res.body)}`,
    warnings: res.warnings,
  };
}

/** Every pod template of the objects that the server would not admit as a Pod, or admits with a warning. */
export async function podAdmissionProblems(server: KubernetesServer, objects: Json[]): Promise<string[]> {
  const templates = findPodTemplates(objects);
  if (templates.length === 0) throw new Error('no pod template found: nothing was checked');
  const problems: string[] = [];
  for (const template of templates) {
    const verdict = await admitPod(server, template);
    if (verdict.rejection) problems.push(`${verdict.owner} (namespace ${verdict.namespace}): ${verdict.rejection}`);
    for (const warning of verdict.warnings) problems.push(`${verdict.owner} (namespace ${verdict.namespace}): warning: ${warning}`);
  }
  return problems;
}
