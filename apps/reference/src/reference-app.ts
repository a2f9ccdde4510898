import { App, Environment } from 'aws-cdk-lib';
import { deploymentTarget } from './deployment-target';
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
}

/** Adds the stack of the environment named by the `env` context (default `dev`) to the app. */
export function buildReferenceApp(app: App, options: ReferenceAppOptions = {}): ReferenceStack {
  const config = environmentNamed(app.node.tryGetContext('env') ?? undefined);
  return new ReferenceStack(app, stackName(config.name), {
    config,
    env: options.target ?? deploymentTarget(),
    manifestsOutdir: options.manifestsOutdir,
    adminRoleArns: adminRoleArns(app),
    description: `s3www-eks reference system (${config.name}): network, EKS cluster, MinIO and s3www`,
    terminationProtection: config.name === 'prod',
    tags: { project: 's3www-eks', environment: config.name },
  });
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;

/** The IAM role ARNs of `-c adminRoleArns=arn1,arn2` (none when absent), each checked. */
function adminRoleArns(app: App): string[] {
  const raw = app.node.tryGetContext('adminRoleArns');
  if (raw === undefined || raw === '') return [];
  const arns = String(raw).split(',').map((v) => v.trim()).filter((v) => v !== '');
  for (const arn of arns) {
    if (!ROLE_ARN.test(arn)) {
      throw new Error(`'-c adminRoleArns' must list IAM role ARNs (arn:aws:iam::<account>:role/<name>), separated by commas, got "${arn}"`);
    }
  }
  return arns;
}
