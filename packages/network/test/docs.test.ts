import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

interface JsiiProperty { name: string; optional?: boolean; docs?: { default?: string } }
interface JsiiType { fqn: string; kind: string; datatype?: boolean; properties?: JsiiProperty[] }

// The compiled assembly is what jsii-docgen and every language binding read, so check it, not the source.
const assemblyFile = join(__dirname, '..', '.jsii');

test('every optional prop of a public struct documents its @default', () => {
  // GIVEN
  if (!existsSync(assemblyFile)) throw new Error(`${assemblyFile} is missing: run 'npx projen compile' first`);
  const types = Object.values(JSON.parse(readFileSync(assemblyFile, 'utf8')).types as Record<string, JsiiType>);
  const structs = types.filter((t) => t.kind === 'interface' && t.datatype);
  // WHEN
  const optional = structs.flatMap((t) => (t.properties ?? []).filter((p) => p.optional).map((p) => ({ name: `${t.fqn}.${p.name}`, docs: p.docs })));
  const undocumented = optional.filter((p) => !p.docs?.default).map((p) => p.name);
  // THEN
  expect(optional.length).toBeGreaterThanOrEqual(10);
  expect(undocumented).toEqual([]);
});
