/**
 * Schema checks for Kubernetes objects, shared by the cdk8s libraries' and the app's tests.
 *
 * `kubernetes-models` validates an object against the official OpenAPI schema but ignores
 * fields the schema does not know (a misspelt `securityContext.runAsNonroot` passes). We add
 * that check by watching which properties the schema validator reads: a field it never looks
 * at is a field the schema does not have.
 */
import { readdirSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { EXTERNAL_SECRETS_SCHEMAS } from './crds/external-secrets';
import { checkSchema } from './crds/schema';

type Json = Record<string, unknown>;
type Validator = (data: unknown) => void;

/** One problem found in one object. */
export interface SchemaProblem {
  readonly object: string;
  readonly message: string;
}

/**
 * The official Kubernetes schemas, and the Prometheus Operator CRDs (ServiceMonitor, PodMonitor,
 * Probe, PrometheusRule) as the operator publishes them.
 */
const SCHEMA_PACKAGES = ['kubernetes-models', '@kubernetes-models/prometheus-operator'];

const validators = indexValidators();
// The External Secrets Operator objects, against the closed schemas this project ships.
for (const [gvkName, schema] of Object.entries(EXTERNAL_SECRETS_SCHEMAS)) {
  validators.set(gvkName, (data) => {
    const problems = checkSchema(schema, JSON.parse(JSON.stringify(data)));
    if (problems.length > 0) throw new Error(problems.join('; '));
  });
}

/** Kinds that are not in the core schema (CRDs); checked by the caller, not here. */
export function isCustomResource(obj: Json): boolean {
  return !validators.has(gvk(obj));
}

/**
 * Validates every object against the official schema, unknown fields included.
 * Custom resources are reported unless `allowCustomResources` lists their kind.
 */
export function schemaProblems(objects: Json[], allowCustomResources: string[] = []): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const obj of objects) {
    const id = `${gvk(obj)} ${(obj.metadata as Json | undefined)?.name ?? '(no name)'}`;
    const validate = validators.get(gvk(obj));
    if (!validate) {
      if (!allowCustomResources.includes(String(obj.kind))) {
        problems.push({ object: id, message: 'kind is not in the Kubernetes schema (a custom resource nobody declared)' });
      }
      continue;
    }
    const tracker = new ReadTracker();
    try {
      validate(tracker.wrap(obj));
    } catch (err) {
      problems.push({ object: id, message: (err as Error).message });
      continue;
    }
    for (const path of tracker.unreadPaths(obj)) {
      problems.push({ object: id, message: `unknown field ${path}` });
    }
  }
  return problems;
}

/** Fails with every problem listed when any object is not schema-valid. */
export function expectSchemaValid(objects: Json[], allowCustomResources: string[] = []): void {
  const problems = schemaProblems(objects, allowCustomResources);
  if (problems.length > 0) {
    throw new Error(`Kubernetes schema problems:\n${problems.map((p) => `  ${p.object}: ${p.message}`).join('\n')}`);
  }
}

function gvk(obj: Json): string {
  return `${obj.apiVersion}/${obj.kind}`;
}

/**
 * Maps `apiVersion/kind` to the raw schema validator of the schema packages. The model classes'
 * own `validate()` copies and serializes the object first, which would hide which fields the
 * schema reads, so we call the compiled schema function directly.
 */
function indexValidators(): Map<string, Validator> {
  const index = new Map<string, Validator>();
  for (const pkg of SCHEMA_PACKAGES) {
    const root = dirname(require.resolve(`${pkg}/package.json`));
    const visit = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() && entry.name !== '_schemas' && entry.name !== 'node_modules') {
          visit(path);
        } else if (entry.name.endsWith('.js')) {
          const source = readFileSync(path, 'utf8');
          const version = /\.apiVersion="([^"]+)"/.exec(source)?.[1];
          const kind = /\.kind="([^"]+)"/.exec(source)?.[1];
          const schema = /_schemas\/(\w+)\.js/.exec(source)?.[1];
          if (version && kind && schema && !kind.endsWith('List')) {
            index.set(`${version}/${kind}`, schemaValidator(join(root, '_schemas', `${schema}.js`)));
          }
        }
      }
    };
    visit(root);
  }
  return index;
}

type SchemaFunction = ((data: unknown) => boolean) & {
  errors?: Array<{ instancePath: string; message?: string; keyword: string; params: unknown }>;
};

function schemaValidator(file: string): Validator {
  return (data) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const validate = require(file).validate as SchemaFunction;
    if (!validate(data)) {
      const errors = validate.errors ?? [];
      throw new Error(errors.map((e) => `${e.instancePath || '/'} ${e.message ?? `${e.keyword} ${JSON.stringify(e.params)}`}`).join('; '));
    }
  };
}

/** Records which properties of which (sub)objects a validator reads. */
class ReadTracker {
  private readonly read = new Map<object, Set<PropertyKey> | 'all'>();

  public wrap<T>(value: T): T {
    if (!value || typeof value !== 'object') return value;
    const target = value as unknown as object;
    const tracker = this;
    return new Proxy(target, {
      get(obj, key, receiver) {
        tracker.mark(obj, key);
        return tracker.wrap(Reflect.get(obj, key, receiver));
      },
      has(obj, key) {
        tracker.mark(obj, key);
        return Reflect.has(obj, key);
      },
      ownKeys(obj) {
        // A validator that enumerates keys treats them as a map (labels, limits): all are known.
        tracker.read.set(obj, 'all');
        return Reflect.ownKeys(obj);
      },
      getOwnPropertyDescriptor(obj, key) {
        tracker.mark(obj, key);
        return Reflect.getOwnPropertyDescriptor(obj, key);
      },
    }) as unknown as T;
  }

  public unreadPaths(value: unknown, path = ''): string[] {
    if (!value || typeof value !== 'object') return [];
    const seen = this.read.get(value as object);
    const out: string[] = [];
    for (const [key, child] of Object.entries(value as Json)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
      if (!Array.isArray(value) && seen !== 'all' && !(seen?.has(key))) {
        out.push(childPath.slice(1) === '' ? key : childPath.replace(/^\./, ''));
        continue;
      }
      out.push(...this.unreadPaths(child, childPath));
    }
    return out;
  }

  private mark(obj: object, key: PropertyKey): void {
    const seen = this.read.get(obj);
    if (seen === 'all') return;
    if (seen) seen.add(key);
    else this.read.set(obj, new Set([key]));
  }
}
