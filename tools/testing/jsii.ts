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

/**
 * Every struct property in the package's `.jsii` assembly that lacks a summary, or that is
 * optional and lacks `@default`. Throws when the assembly is missing (compile first).
 */
export function undocumentedProps(packageDir: string): string[] {
  const file = join(packageDir, '.jsii');
  if (!existsSync(file)) {
    throw new Error(`${file} not found: run 'npx projen compile' first`);
  }
  const assembly = JSON.parse(readFileSync(file, 'utf8')) as { types?: Record<string, JsiiType> };
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
    throw new Error(`${file} has no struct properties: nothing was checked`);
  }
  return problems;
}
