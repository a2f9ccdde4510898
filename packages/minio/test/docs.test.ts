import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * Reads the compiled jsii assembly (run `npx projen compile` first; the build does) and checks
 * that every public struct documents every field, and every optional field its default.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
const assembly = JSON.parse(readFileSync(join(__dirname, '..', '.jsii'), 'utf8'));
const structs = Object.values<any>(assembly.types).filter((t) => t.kind === 'interface' && t.datatype);

describe('jsii assembly', () => {
  test('has the public structs', () => {
    expect(structs.map((s) => s.name).sort()).toEqual([
      'Bucket', 'BucketJobOptions', 'ConsoleOptions', 'DistributedOptions', 'ImageOptions', 'MetricsOptions',
      'MinioAlertOptions', 'MinioCredentials', 'MinioDashboardOptions', 'MinioProps', 'SecretKeyReference',
      'ServiceMonitorOptions', 'StorageOptions',
    ]);
  });

  const fields = structs.flatMap((s) => (s.properties ?? []).map((p: any) => [`${s.name}.${p.name}`, p]));

  test.each(fields)('%s is documented', (_name, property) => {
    expect(property.docs?.summary?.trim().length).toBeGreaterThan(0);
  });

  test.each(fields.filter(([, p]) => p.optional))('%s documents its @default', (_name, property) => {
    expect(property.docs?.default).toBeDefined();
    expect(property.docs.default.trim()).not.toBe('');
  });
});
