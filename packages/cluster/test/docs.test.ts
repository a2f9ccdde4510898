import { readFileSync } from 'fs';
import { join } from 'path';

interface JsiiProperty { name: string; optional?: boolean; docs?: { default?: string; summary?: string } }
interface JsiiType { kind: string; datatype?: boolean; name: string; properties?: JsiiProperty[] }

// The compiled assembly is what every jsii language's docs are generated from.
const assembly = JSON.parse(readFileSync(join(__dirname, '..', '.jsii'), 'utf8')) as { types: Record<string, JsiiType> };
const structs = Object.values(assembly.types).filter((t) => t.kind === 'interface' && t.datatype);

describe('public API docs', () => {
  test('the assembly has the public structs', () => {
    expect(structs.map((s) => s.name)).toEqual(expect.arrayContaining([
      'ClusterProps', 'NodeGroupOptions', 'AddonVersions', 'SyncSecretOptions', 'PodIdentityOptions',
      'ContainerLogsOptions', 'MonitoringOptions', 'BackupOptions', 'BudgetOptions', 'CostTags',
    ]));
  });

  test.each(structs.map((s) => [s.name, s] as const))('%s documents a @default for every optional property', (_, struct) => {
    const missing = (struct.properties ?? []).filter((p) => p.optional && !p.docs?.default).map((p) => p.name);
    expect(missing).toEqual([]);
  });

  test.each(structs.map((s) => [s.name, s] as const))('%s documents every property', (_, struct) => {
    const missing = (struct.properties ?? []).filter((p) => !p.docs?.summary).map((p) => p.name);
    expect(missing).toEqual([]);
  });
});
