/**
 * Deploy emulation of aws-eks-v2's kubectl provider: the custom resources of a synthesized template
 * in CloudFormation's order, their CloudFormation expressions resolved to realistic values, and the
 * real kubectl handler of the pinned aws-cdk-lib (Python, run by kubectl-handler/run.py) applying
 * them to a test API server (kube-apiserver.ts).
 *
 * The handler runs unchanged; only its one AWS call (`aws eks update-kubeconfig`) is a stand-in that
 * writes the test server's kubeconfig. What the provider framework adds around it (the onEvent
 * Lambda, the response to CloudFormation) does not touch the cluster and is not run.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { KubernetesServer } from './kube-apiserver';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const programs = require('../programs/build.js') as { programPath(name: string): string };

type Json = Record<string, any>;

/** The kubectl handler of the pinned aws-cdk-lib, as its Lambda function runs it. */
export const HANDLER_DIR = join(dirname(require.resolve('aws-cdk-lib/package.json')), 'custom-resource-handlers', 'dist', 'aws-eks-v2', 'kubectl-handler');

/** The custom resource types the kubectl provider serves. */
export const KUBECTL_TYPES = {
  manifest: 'Custom::AWSCDK-EKS-KubernetesResource',
  patch: 'Custom::AWSCDK-EKS-KubernetesPatch',
  helm: 'Custom::AWSCDK-EKS-HelmChart',
  objectValue: 'Custom::AWSCDK-EKS-KubernetesObjectValue',
} as const;

/** Where the emulated stack lives. */
export interface StackContext {
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
}

/** One resource of a template. */
export interface TemplateResource {
  readonly id: string;
  readonly type: string;
  readonly properties: Json;
}

/** Logical ids a resource depends on: DependsOn, Ref and Fn::GetAtt (also inside Fn::Sub strings). */
export function dependenciesOf(resource: Json, resourceIds: Set<string>): string[] {
  const deps = new Set<string>([resource.DependsOn ?? []].flat());
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string') {deps.add(inner);} else if (key === 'Fn::GetAtt') {deps.add(Array.isArray(inner) ? inner[0] : String(inner).split('.')[0]);} else if (key === 'Fn::Sub') {
          const text = Array.isArray(inner) ? inner[0] : inner;
          for (const m of String(text).matchAll(/\$\{([A-Za-z0-9]+)(\.[^}]*)?\}/g)) deps.add(m[1]);
          visit(inner);
        } else {visit(inner);}
      }
    }
  };
  visit(resource.Properties);
  return [...deps].filter((d) => resourceIds.has(d));
}

/**
 * Every resource of the template in an order CloudFormation may create them: each after all it
 * depends on (ties keep the template's order). Throws on a cycle, as CloudFormation would.
 */
export function creationOrder(template: Json): TemplateResource[] {
  const resources = template.Resources as Record<string, Json>;
  const ids = new Set(Object.keys(resources));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: TemplateResource[] = [];
  const visit = (id: string, path: string[]) => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw new Error(`circular dependency: ${[...path, id].join(' -> ')}`);
    visiting.add(id);
    for (const dep of dependenciesOf(resources[id], ids)) visit(dep, [...path, id]);
    visiting.delete(id);
    done.add(id);
    order.push({ id, type: resources[id].Type, properties: resources[id].Properties ?? {} });
  };
  for (const id of ids) visit(id, []);
  return order;
}

/** The kubectl provider's custom resources of the template, in creation order. */
export function kubectlResources(template: Json): TemplateResource[] {
  const types: string[] = Object.values(KUBECTL_TYPES);
  return creationOrder(template).filter((r) => types.includes(r.type));
}

/**
 * Resolves CloudFormation expressions the way CloudFormation would at deploy time, with realistic
 * physical ids and ARNs for the account and region. Throws on an expression it cannot resolve, so
 * that nothing unresolved reaches the server unnoticed.
 */
export function resolveTokens(value: unknown, template: Json, stack: StackContext): any {
  const resources = template.Resources as Record<string, Json>;
  const resolve = (v: unknown): any => {
    if (Array.isArray(v)) return v.map(resolve);
    if (!v || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    if (entries.length === 1 && (entries[0][0] === 'Ref' || entries[0][0].startsWith('Fn::'))) {
      const [fn, arg] = entries[0];
      switch (fn) {
        case 'Ref': return ref(arg as string);
        case 'Fn::GetAtt': {
          const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/);
          return getAtt(id, attr);
        }
        case 'Fn::Join': return (resolve((arg as unknown[])[1]) as unknown[]).join((arg as unknown[])[0] as string);
        case 'Fn::Select': return (resolve((arg as unknown[])[1]) as unknown[])[Number(resolve((arg as unknown[])[0]))];
        case 'Fn::Split': return String(resolve((arg as unknown[])[1])).split((arg as unknown[])[0] as string);
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
          const bound = resolve(vars) as Json;
          return String(text).replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in bound) return bound[name];
            const [id, attr] = name.split(/\.(.*)/);
            return attr ? getAtt(id, attr) : ref(id);
          });
        }
        default: throw new Error(`cannot resolve ${fn} in ${JSON.stringify(v).slice(0, 200)}`);
      }
    }
    return Object.fromEntries(entries.map(([k, inner]) => [k, resolve(inner)]));
  };
  const physicalId = (id: string): string => {
    const props = resources[id]?.Properties ?? {};
    const explicit = props.Name ?? props.RoleName ?? props.FunctionName ?? props.ClusterName;
    if (typeof explicit === 'string') return explicit;
    // CloudFormation's generated names: stack name, logical id (cut) and a random suffix.
    return `${stack.stackName}-${id.slice(0, 30)}-${suffix(id, 12).toUpperCase()}`;
  };
  const arnOf = (id: string): string => {
    const type: string = resources[id].Type;
    const name = physicalId(id);
    switch (type) {
      case 'AWS::SecretsManager::Secret': return `arn:aws:secretsmanager:${stack.region}:${stack.account}:secret:${name}-${suffix(id, 6)}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${stack.account}:role/${name}`;
      case 'AWS::Lambda::Function': return `arn:aws:lambda:${stack.region}:${stack.account}:function:${name}`;
      case 'AWS::EKS::Cluster': return `arn:aws:eks:${stack.region}:${stack.account}:cluster/${name}`;
      default: {
        const [, service, kind] = type.split('::');
        return `arn:aws:${service.toLowerCase()}:${stack.region}:${stack.account}:${kind.toLowerCase()}/${name}`;
      }
    }
  };
  const ref = (id: string): string => {
    const pseudo: Record<string, string> = {
      'AWS::Region': stack.region,
      'AWS::AccountId': stack.account,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': stack.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${stack.region}:${stack.account}:stack/${stack.stackName}/${uuidOf(stack.stackName)}`,
    };
    if (id in pseudo) return pseudo[id];
    if (template.Parameters?.[id]) {
      const param = template.Parameters[id];
      if (param.Default === undefined) throw new Error(`parameter ${id} has no default to resolve`);
      return param.Default;
    }
    if (!resources[id]) throw new Error(`Ref to unknown ${id}`);
    // Secrets Manager secrets (and a few others) return their ARN from Ref.
    return resources[id].Type === 'AWS::SecretsManager::Secret' ? arnOf(id) : physicalId(id);
  };
  const getAtt = (id: string, attr: string): string => {
    if (!resources[id]) throw new Error(`Fn::GetAtt of unknown ${id}`);
    if (attr === 'Arn') return arnOf(id);
    if (attr === 'Name') return physicalId(id);
    throw new Error(`cannot resolve Fn::GetAtt ${id}.${attr}`);
  };
  return resolve(value);
}

/** A stable pseudo-random suffix, as CloudFormation appends to generated names. */
function suffix(seed: string, length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const hash = createHash('sha256').update(seed).digest();
  return Array.from({ length }, (_, i) => alphabet[hash[i] % alphabet.length]).join('');
}

function uuidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The event CloudFormation sends the provider framework for a custom resource (and the framework
 * passes on to the handler), with the properties resolved. CloudFormation sends every property
 * value as a string, as here.
 */
export function customResourceEvent(
  requestType: 'Create' | 'Update' | 'Delete', resource: TemplateResource, template: Json, stack: StackContext, old?: TemplateResource, oldTemplate?: Json,
): Json {
  const stackId = resolveTokens({ Ref: 'AWS::StackId' }, template, stack);
  const props = (r: TemplateResource, t: Json) => stringsOnly(resolveTokens(r.properties, t, stack));
  return {
    RequestType: requestType,
    ServiceToken: props(resource, template).ServiceToken,
    ResponseURL: `https://cloudformation-custom-resource-response-${stack.region.replace(/-/g, '')}.s3.amazonaws.com/${encodeURIComponent(stackId)}`,
    StackId: stackId,
    RequestId: uuidOf(`${resource.id}-${requestType}`),
    LogicalResourceId: resource.id,
    ResourceType: resource.type,
    ...(requestType !== 'Create' ? { PhysicalResourceId: `${resource.id}-physical` } : {}),
    ResourceProperties: props(resource, template),
    ...(old ? { OldResourceProperties: props(old, oldTemplate ?? template) } : {}),
  };
}

/** CloudFormation passes numbers and booleans of custom resource properties as strings. */
function stringsOnly(value: unknown): any {
  if (Array.isArray(value)) return value.map(stringsOnly);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringsOnly(v)]));
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

/** What one handler invocation did. */
export interface HandlerRun {
  /** The exception the handler raised (kubectl's output), if any. */
  readonly error?: string;
  /** Every message the handler logged, kubectl's output included. */
  readonly logs: string[];
  /** `Warning: ...` lines kubectl printed (API server warnings, e.g. Pod Security `warn`). */
  readonly warnings: string[];
  /** The clusters the handler logged in to (`aws eks update-kubeconfig --name`). */
  readonly clusters: string[];
}

/** Runs the real kubectl handler against a test server. */
export class KubectlHandler {
  private readonly bin: string;
  private count = 0;

  constructor(private readonly server: KubernetesServer) {
    this.bin = join(server.dir, 'kubectl-handler-bin');
    if (!existsSync(this.bin)) {
      mkdirSync(this.bin);
      // The layer's kubectl, as /opt/kubectl/kubectl in the Lambda function; the stand-in aws.
      symlinkSync(programs.programPath('kubectl'), join(this.bin, 'kubectl'));
      symlinkSync(join(__dirname, 'kubectl-handler', 'aws'), join(this.bin, 'aws'));
    }
  }

  /** Invokes the handler with the event, as the provider framework's onEvent function would. */
  public invoke(event: Json): HandlerRun {
    // A fresh TEST_OUTDIR per invocation, like a fresh Lambda sandbox's /tmp.
    const outdir = mkdtempSync(join(this.server.dir, `handler-${++this.count}-`));
    const eventFile = join(outdir, 'event.json');
    const resultFile = join(outdir, 'result.json');
    const clusterFile = join(outdir, 'clusters.txt');
    writeFileSync(eventFile, JSON.stringify(event));
    writeFileSync(clusterFile, '');
    const run = spawnSync('python3', [join(__dirname, 'kubectl-handler', 'run.py'), this.bin, HANDLER_DIR, eventFile, resultFile], {
      env: {
        ...this.server.env,
        TEST_OUTDIR: outdir,
        S3WWW_EKS_TEST_KUBECONFIG: this.server.kubeconfig,
        S3WWW_EKS_TEST_CLUSTER_FILE: clusterFile,
        PYTHONDONTWRITEBYTECODE: '1',
      },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw run.error;
    if (!existsSync(resultFile)) throw new Error(`the kubectl handler did not run (exit ${run.status}):\n${run.stderr}`);
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { ok: boolean; error?: string; logs: string[] };
    const output = [...result.logs, result.error ?? ''].join('\n');
    return {
      error: result.ok ? undefined : result.error,
      logs: result.logs,
      warnings: output.split('\n').filter((l) => l.startsWith('Warning:')),
      clusters: readFileSync(clusterFile, 'utf8').split('\n').filter((l) => l !== ''),
    };
  }
}
