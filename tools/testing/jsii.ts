/**
 * Checks on a library's public API as jsii compiled it, so that inputs can be scanned like a
 * Terraform module's variables: every struct property has a description, and every optional
 * one says what happens when it is left out (`@default`).
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly docs?: { summary?: string; default?: string };
}

interface JsiiType {
  readonly fqn: string;
  readonly kind: string;
  readonly datatype?: boolean;
  readonly properties?: JsiiProperty[];
}

function readAssembly(packageDir: string): { types?: Record<string, JsiiType> } {
  const file = join(packageDir, '.jsii');
  if (!existsSync(file)) {
    throw new Error(`${file} not found: run 'npx projen compile' first`);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The names of the public structs (props and options interfaces) in the package's assembly. */
export function structNames(packageDir: string): string[] {
  return Object.values(readAssembly(packageDir).types ?? {})
    .filter((t) => t.kind === 'interface' && t.datatype)
    .map((t) => t.fqn.split('.').pop()!)
    .sort();
}

/**
 * Every struct property in the package's `.jsii` assembly that lacks a summary, or that is
 * optional and lacks `@default`. Throws when the assembly is missing (compile first).
 */
export function undocumentedProps(packageDir: string): string[] {
  const assembly = readAssembly(packageDir);
  const problems: string[] = [];
  let checked = 0;
  for (const type of Object.values(assembly.types ?? {})) {
    if (type.kind !== 'interface' || !type.datatype) continue;
    for (const prop of type.properties ?? []) {
      checked++;
      const where = `${type.fqn}.${prop.name}`;
      if (!prop.docs?.summary) problems.push(`${where} has no description`);
      if (prop.optional && prop.docs?.default === undefined) problems.push(`${where} is optional but documents no @default`);
    }
  }
  if (checked === 0) {
    throw new Error(`${packageDir} has no struct properties in its assembly: nothing was checked`);
  }
  return problems;
}
