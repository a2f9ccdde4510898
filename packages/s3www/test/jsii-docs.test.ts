/**
 * Every property of the public structs is described, and every optional one says what happens
 * when it is left out (`@default`), read from the compiled jsii assembly.
 */
import { join } from 'path';
import { structNames, undocumentedProps } from '../../../tools/testing/jsii';

const packageDir = join(__dirname, '..');

test('the assembly has the public structs', () => {
  expect(structNames(packageDir)).toEqual([
    'AlbIngressOptions', 'AlbTlsOptions', 'AllowFromOptions', 'AllowToOptions', 'AutoscalingOptions', 'CorsOptions', 'ImageOptions', 'LoadBalancerOptions',
    'S3Backend', 'S3Credentials', 'S3wwwMonitoringOptions', 'S3wwwProps', 'SeedSource', 'SeederProps', 'TopologySpreadOptions', 'WorkloadIdentity',
  ]);
});

test('every struct property is described and every optional one documents its @default', () => {
  expect(undocumentedProps(packageDir)).toEqual([]);
});
