/**
 * Synthesizes one environment in-process, offline, into a folder of its own, and reads back
 * what was written. Shared by the main job, the tests and the benchmark, so all three look at
 * exactly the same output.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { join } from 'path';
import { App } from 'aws-cdk-lib';
import { parseAllDocuments } from 'yaml';
import { EXAMPLE_CERTIFICATE_ARN, OFFLINE_TARGET } from './deployment-target';
import { EnvironmentConfig } from './environment-config';
import { environmentNamed } from './environments';
import { buildReferenceApp } from './reference-app';
import { ReferenceStack } from './reference-stack';

type Json = Record<string, any>;

/** Folder of the app (holding cdk.json and cdk.context.json). */
export const APP_DIR = join(__dirname, '..');

/** The committed context: the Availability Zones of the offline account and region. */
export function committedContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(APP_DIR, 'cdk.context.json'), 'utf8'));
}

/** Where one environment is written. */
export interface OutputFolders {
  /** Cloud assembly folder. */
  readonly cdkOut: string;
  /** Plain manifests folder. */
  readonly manifests: string;
}

/** An environment's app, built but not yet synthesized. */
export interface EnvironmentApp {
  readonly app: App;
  readonly stack: ReferenceStack;
}

/**
 * Builds the app of one environment with the offline account and region, the committed context and,
 * where the environment serves HTTPS only, the example certificate ({@link EXAMPLE_CERTIFICATE_ARN}),
 * writing into fresh folders (earlier output is removed first). `context` adds values as `-c key=value`
 * would (e.g. `viewerRoleArns`).
 */
export function environmentApp(
  environment: string, folders: OutputFolders, config?: EnvironmentConfig, context: Record<string, unknown> = {},
): EnvironmentApp {
  rmSync(folders.cdkOut, { recursive: true, force: true });
  rmSync(folders.manifests, { recursive: true, force: true });
  // CDK's built-in CloudFormation validation is off here: it costs about 1 s and 100 MB per
  // environment, and the tests run the real cfn-lint on every template this function writes.
  // `cdk synth` and `cdk deploy` (src/main.ts) keep CDK's default and validate.
  // Offline, an environment that serves HTTPS only gets the example certificate, as it gets the offline account.
  const example = (config ?? environmentNamed(environment)).httpsOnly ? { certificateArn: EXAMPLE_CERTIFICATE_ARN } : {};
  const app = new App({
    outdir: folders.cdkOut,
    context: { ...committedContext(), ...example, ...context, env: environment },
    // Stryker disable next-line BooleanLiteral: validation changes no template, only the time and memory a synthesis takes
    builtinCloudFormationValidation: false,
  });
  const stack = buildReferenceApp(app, { target: OFFLINE_TARGET, manifestsOutdir: folders.manifests, config });
  return { app, stack };
}

/** What one environment's synthesis wrote. */
export interface SynthesizedEnvironment {
  readonly environment: string;
  readonly stackName: string;
  /** Every CloudFormation template of the assembly (nested ones included), by file name. */
  readonly templates: Record<string, Json>;
  /** The workload's plain manifest files. */
  readonly manifestFiles: string[];
  /** The Kubernetes objects of the plain manifests. */
  readonly objects: Json[];
  readonly folders: OutputFolders;
}

/**
 * Writes the plain manifests of an app already synthesized by {@link environmentApp}'s caller
 * and reads both outputs back.
 */
export function readOutput(built: EnvironmentApp, folders: OutputFolders): SynthesizedEnvironment {
  built.stack.manifests.synth();
  const yamlFiles = readdirSync(folders.manifests).filter((f) => f.endsWith('.yaml'));
  // Stryker disable next-line MethodExpression: Node lists a folder in name order already (libuv sorts scandir's names); the sort keeps the order should that change
  const manifestFiles = yamlFiles.sort().map((f) => join(folders.manifests, f));
  const objects = manifestFiles.flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Json)).filter((o) => o);
  return {
    environment: built.stack.node.tryGetContext('env'),
    stackName: built.stack.stackName,
    templates: readTemplates(folders.cdkOut),
    manifestFiles,
    objects,
    folders,
  };
}

/**
 * Builds, synthesizes and reads back one environment (with changed settings when `config` is given, and
 * further context values when `context` is).
 */
export function synthesizeEnvironment(
  environment: string, folders: OutputFolders, config?: EnvironmentConfig, context: Record<string, unknown> = {},
): SynthesizedEnvironment {
  const built = environmentApp(environment, folders, config, context);
  built.app.synth();
  return readOutput(built, folders);
}

/** Paths of every `*.template.json` under the assembly folder (nested stacks included). */
export function templateFiles(cdkOut: string): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.template.json')) files.push(path);
    }
  };
  visit(cdkOut);
  return files.sort();
}

/** Every template under the assembly folder, by file name. */
export function readTemplates(cdkOut: string): Record<string, Json> {
  return Object.fromEntries(templateFiles(cdkOut).map((f) => [f.split('/').pop()!, JSON.parse(readFileSync(f, 'utf8'))]));
}

/** Figures of a set of templates. */
export interface TemplateFigures {
  readonly resources: number;
  readonly lambdaFunctions: number;
  readonly customResources: number;
  readonly templateBytes: number;
}

/** Resources, Lambda functions, custom resources and template bytes of an assembly folder. */
export function templateFigures(cdkOut: string): TemplateFigures {
  const files = templateFiles(cdkOut);
  const resources = Object.values(readTemplates(cdkOut)).flatMap((t) => Object.values<Json>(t.Resources ?? {}));
  return {
    resources: resources.length,
    lambdaFunctions: resources.filter((r) => r.Type === 'AWS::Lambda::Function' || r.Type === 'AWS::Serverless::Function').length,
    customResources: resources.filter((r) => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource').length,
    templateBytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
  };
}

/** Placeholder for a CloudFormation expression inside a manifest (an ARN, a region...). */
export const TOKEN_PLACEHOLDER = '${TOKEN}';

/**
 * The Kubernetes objects a template applies through the kubectl provider, by logical id: each
 * `Manifest` property parsed, with CloudFormation expressions replaced by {@link TOKEN_PLACEHOLDER}.
 */
export function kubernetesObjectsInTemplate(template: Json): Record<string, Json[]> {
  const out: Record<string, Json[]> = {};
  for (const [id, resource] of Object.entries<Json>(template.Resources ?? {})) {
    const manifest = resource.Properties?.Manifest;
    if (resource.Type !== 'Custom::AWSCDK-EKS-KubernetesResource' || manifest === undefined) continue;
    const text = typeof manifest === 'string' ? manifest
      : (manifest['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : TOKEN_PLACEHOLDER)).join('');
    out[id] = JSON.parse(text);
  }
  return out;
}
