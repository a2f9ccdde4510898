import { join } from 'path';
import { structNames, undocumentedProps } from '../../../tools/testing/jsii';

// The compiled assembly is what every jsii language's docs are generated from.
const packageDir = join(__dirname, '..');

describe('public API docs', () => {
  test('the assembly has the public structs', () => {
    expect(structNames(packageDir)).toEqual(expect.arrayContaining([
      'ClusterProps', 'NodeGroupOptions', 'AddonVersions', 'SyncSecretOptions', 'PodIdentityOptions',
      'ContainerLogsOptions', 'MonitoringOptions', 'BackupOptions', 'BudgetOptions', 'CostTags',
      'NotificationOptions', 'SlackWebhookOptions', 'LoadBalancerAlarmsOptions', 'NamespaceAccessOptions',
    ]));
  });

  test('every struct property is described and every optional one documents its @default', () => {
    expect(undocumentedProps(packageDir)).toEqual([]);
  });
});
