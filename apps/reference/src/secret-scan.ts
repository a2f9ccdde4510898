/**
 * Looks for secret material in what the app writes (cloud assemblies and manifests): the main
 * job refuses to finish when it finds any, and the tests assert it finds none.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

/** One piece of secret material found in one file or object. */
export interface SecretFinding {
  /** File or object the finding is in. */
  readonly where: string;
  /** What was found. */
  readonly what: string;
}

/** Text patterns that are secret material wherever they appear. */
export const SECRET_PATTERNS: ReadonlyArray<{ readonly name: string; readonly pattern: RegExp }> = [
  { name: 'AWS access key id', pattern: /\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { name: 'AWS secret access key assignment', pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}\b/i },
  // The body's class holds the line breaks: 40 characters of base64 after the header, wherever the lines break.
  { name: 'private key', pattern: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----[A-Za-z0-9+/=\s]{40,}/ },
  // MinIO's well-known default root credentials: a deployment using them is open to anyone.
  { name: 'MinIO default credentials', pattern: /\bminioadmin\b/ },
  { name: 'literal MinIO root password', pattern: /MINIO_ROOT_PASSWORD["']?\s*[:=]\s*["']?(?!\$|["'{])[^\s"',}]{6,}/ },
];

/** Binary or vendored files that cannot hold our configuration, skipped by the text scan. */
const SKIPPED_EXTENSIONS = ['.zip', '.gz', '.tgz', '.png', '.gif', '.jpg', '.so', '.node', '.wasm'];

/** Every text file under the folders, recursively. */
export function textFilesUnder(...dirs: string[]): string[] {
  const out: string[] = [];
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (!SKIPPED_EXTENSIONS.some((ext) => path.endsWith(ext))) {
      out.push(path);
    }
  };
  dirs.forEach(visit);
  return out;
}

/** Matches of {@link SECRET_PATTERNS} in the text of the files. */
export function scanFiles(files: string[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const file of files) {
    findings.push(...scanText(file, readFileSync(file, 'utf8')));
  }
  return findings;
}

/** Matches of {@link SECRET_PATTERNS} in one text. */
export function scanText(where: string, text: string): SecretFinding[] {
  return SECRET_PATTERNS.filter(({ pattern }) => pattern.test(text)).map(({ name }) => ({ where, what: name }));
}

type Json = Record<string, any>;

/** Environment variable names whose value must come from a Secret, never a literal. */
const SECRET_ENV = /(PASSWORD|SECRET|TOKEN|ACCESS_KEY|ROOT_USER|PRIVATE_KEY)/i;

/**
 * Secret material in Kubernetes objects: a Secret carrying `data` or `stringData`, or a
 * container given a credential as a literal environment variable.
 */
export function scanKubernetesObjects(objects: Json[]): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const obj of objects) {
    const where = `${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? '(no name)'}`;
    if (obj.kind === 'Secret' && (obj.data || obj.stringData)) {
      findings.push({ where, what: 'a Secret with data or stringData' });
    }
    for (const env of containerEnvs(obj)) {
      if (SECRET_ENV.test(env.name) && env.value !== undefined && !String(env.name).endsWith('_FILE')) {
        findings.push({ where, what: `literal value for environment variable ${env.name}` });
      }
    }
  }
  return findings;
}

function containerEnvs(obj: Json): Json[] {
  const spec = obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec?.template?.spec
    : obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  if (!spec) return [];
  // Stryker disable next-line ArrayDeclaration: only a fallback list's emptiness counts; an item in it has no env and no name
  return [...(spec.containers ?? []), ...(spec.initContainers ?? [])].flatMap((c: Json) => c.env ?? []);
}

/**
 * Secret material in CloudFormation templates: a Secrets Manager secret with a literal
 * SecretString, or a property named like a password holding a literal string.
 */
export function scanTemplate(name: string, template: Json): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [id, resource] of Object.entries<Json>(template.Resources ?? {})) {
    const where = `${name} ${id}`;
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::SecretsManager::Secret' && props.SecretString !== undefined) {
      findings.push({ where, what: 'a Secrets Manager secret with a literal SecretString' });
    }
    for (const [key, value] of Object.entries(props)) {
      if (/password/i.test(key) && typeof value === 'string') {
        findings.push({ where, what: `literal value for property ${key}` });
      }
    }
  }
  return findings;
}
