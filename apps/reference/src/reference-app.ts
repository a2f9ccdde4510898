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
    adminRoleArns: listContext(app, 'adminRoleArns'),
    description: `s3www-eks reference system (${config.name}): network, EKS cluster, MinIO and s3www`,
    terminationProtection: config.name === 'prod',
    tags: { project: 's3www-eks', environment: config.name },
  });
}

/** A comma-separated context value as a list (empty when absent). */
function listContext(app: App, key: string): string[] {
  const raw = app.node.tryGetContext(key);
  if (raw === undefined || raw === '') return [];
  return String(raw).split(',').map((v) => v.trim()).filter((v) => v !== '');
}
