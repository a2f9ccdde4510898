import { App, Environment } from 'aws-cdk-lib';
import { deploymentTarget } from './deployment-target';
import { ApiEndpoint, EnvironmentConfig, validateEnvironmentConfig } from './environment-config';
import { environmentNamed } from './environments';
import { ReferenceStack } from './reference-stack';

/** Name of the stack of an environment. */
export function stackName(environment: string): string {
  return `s3www-eks-${environment}`;
}

/** Options of {@link buildReferenceApp}. */
export interface ReferenceAppOptions {
  /**
   * Account and region of the stack.
   * @default - from CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, else the offline defaults
   */
  readonly target?: Environment;
  /**
   * Folder the plain manifests go to.
   * @default - `dist/manifests/<environment>`
   */
  readonly manifestsOutdir?: string;
  /**
   * The environment's settings, checked like the committed ones; for tests that synthesize a
   * changed environment (e.g. an upgrade). Its name must be the `env` context's.
   * @default - the committed settings of the environment named by the `env` context
   */
  readonly config?: EnvironmentConfig;
}

/** Adds the stack of the environment named by the `env` context (default `dev`) to the app. */
export function buildReferenceApp(app: App, options: ReferenceAppOptions = {}): ReferenceStack {
  const named = environmentNamed(app.node.tryGetContext('env') ?? undefined);
  const config = options.config ?? named;
  if (config.name !== named.name) throw new Error(`'config' is the ${config.name} environment, but the env context names ${named.name}`);
  if (options.config) validateEnvironmentConfig(options.config);
  return new ReferenceStack(app, stackName(config.name), {
    config,
    env: options.target ?? deploymentTarget(),
    manifestsOutdir: options.manifestsOutdir,
    adminRoleArns: adminRoleArns(app),
    viewerRoleArns: viewerRoleArns(app),
    apiEndpoint: apiEndpoint(app),
    apiAllowedCidrs: apiAllowedCidrs(app),
    description: `s3www-eks reference system (${config.name}): network, EKS cluster, MinIO and s3www`,
    terminationProtection: config.name === 'prod',
    tags: { 'project': 's3www-eks', 'environment': config.name, 'cost-center': config.costCenter },
  });
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;
const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(3[0-2]|[12]?\d)$/;

/** The IAM role ARNs of `-c adminRoleArns=arn1,arn2` (none when absent), each checked. */
export function adminRoleArns(app: App): string[] {
  return listContext(app, 'adminRoleArns', ROLE_ARN, 'IAM role ARNs (arn:aws:iam::<account>:role/<name>)');
}

/** The IAM role ARNs of `-c viewerRoleArns=arn1,arn2` (none when absent), each checked, each once, none an admin. */
export function viewerRoleArns(app: App): string[] {
  const viewers = listContext(app, 'viewerRoleArns', ROLE_ARN, 'IAM role ARNs (arn:aws:iam::<account>:role/<name>)');
  const repeated = viewers.find((arn, i) => viewers.indexOf(arn) !== i);
  if (repeated) throw new Error(`'-c viewerRoleArns' must name each role once, got "${repeated}" twice`);
  const admin = viewers.find((arn) => adminRoleArns(app).includes(arn));
  if (admin) {
    throw new Error(`'-c viewerRoleArns' must not name a role of '-c adminRoleArns' (EKS allows one access entry per role, and cluster-admin includes view), got "${admin}"`);
  }
  return viewers;
}

/** The endpoint of `-c apiEndpoint=private|public-and-private` (the environment's own when absent). */
export function apiEndpoint(app: App): ApiEndpoint | undefined {
  const raw = app.node.tryGetContext('apiEndpoint');
  if (raw === undefined || raw === '') return undefined;
  const allowed = Object.values(ApiEndpoint) as string[];
  if (!allowed.includes(String(raw).trim())) {
    throw new Error(`'-c apiEndpoint' must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return String(raw).trim() as ApiEndpoint;
}

/** The CIDRs of `-c apiAllowedCidrs=cidr1,cidr2` (none when absent), each checked. */
export function apiAllowedCidrs(app: App): string[] {
  return listContext(app, 'apiAllowedCidrs', IPV4_CIDR, 'IPv4 CIDR blocks (e.g. 203.0.113.0/24)');
}

/** A comma-separated context value as a list, every item matching the pattern. */
function listContext(app: App, key: string, pattern: RegExp, what: string): string[] {
  const raw = app.node.tryGetContext(key);
  if (raw === undefined) return [];
  // an empty value, or one of commas and blanks only, lists nothing
  const items = String(raw).split(',').map((v) => v.trim()).filter((v) => v !== '');
  for (const item of items) {
    if (!pattern.test(item)) {
      throw new Error(`'-c ${key}' must list ${what}, separated by commas, got "${item}"`);
    }
  }
  return items;
}
