/**
 * Every optional property of the public structs says what happens when it is left out
 * (`@default`), read from the compiled jsii assembly.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

const ASSEMBLY = join(__dirname, '..', '.jsii');

interface JsiiType {
  kind: string;
  datatype?: boolean;
  properties?: Array<{ name: string; optional?: boolean; docs?: { default?: string; summary?: string } }>;
}

test('every optional struct property documents its @default', () => {
  // GIVEN
  expect(existsSync(ASSEMBLY)).toBe(true);
  const types: Record<string, JsiiType> = JSON.parse(readFileSync(ASSEMBLY, 'utf8')).types;
  const structs = Object.entries(types).filter(([, t]) => t.kind === 'interface' && t.datatype);
  // WHEN
  const optional = structs.flatMap(([fqn, t]) => (t.properties ?? []).filter((p) => p.optional).map((p) => ({ fqn, ...p })));
  const undocumented = optional.filter((p) => !p.docs?.default).map((p) => `${p.fqn}.${p.name}`);
  // THEN
  expect(structs.map(([fqn]) => fqn)).toEqual(expect.arrayContaining(['@s3www-eks/s3www.S3wwwProps', '@s3www-eks/s3www.SeedOptions', '@s3www-eks/s3www.S3wwwBackend']));
  expect(optional.length).toBeGreaterThan(30);
  expect(undocumented).toEqual([]);
});

test('every property of every public type has a summary', () => {
  const types: Record<string, JsiiType> = JSON.parse(readFileSync(ASSEMBLY, 'utf8')).types;
  const missing = Object.entries(types).flatMap(([fqn, t]) => (t.properties ?? []).filter((p) => !p.docs?.summary).map((p) => `${fqn}.${p.name}`));
  expect(missing).toEqual([]);
});
