import { join } from 'path';
import { structNames, undocumentedProps } from '../../../tools/testing/jsii';

// The compiled assembly (run `npx projen compile` first; the build does) is what jsii-docgen and
// every language binding read, so check it, not the source.
const packageDir = join(__dirname, '..');

describe('jsii assembly', () => {
  test('has the public structs', () => {
    expect(structNames(packageDir)).toEqual([
      'AllowFromOptions', 'Bucket', 'BucketJobOptions', 'ConsoleOptions', 'DistributedOptions', 'GrantReadOptions', 'GrantReadWriteOptions',
      'ImageOptions', 'MetricsOptions', 'MinioAlertOptions', 'MinioDashboardOptions', 'MinioProps', 'MinioUser', 'S3Credentials',
      'SecretKeyReference', 'ServiceMonitorOptions', 'StorageOptions',
    ]);
  });

  test('every struct property is described and every optional one documents its @default', () => {
    expect(undocumentedProps(packageDir)).toEqual([]);
  });
});
