import { App } from 'aws-cdk-lib';
import { addContent, clusterStack } from './fixtures';
import { customResourceSizes, expectWithinLimits, objectSizes, templateFileSizes } from '../../../tools/testing/limits';

/**
 * The largest configuration of the cluster library (monitoring, container logs, backups, an app
 * chart and a synced secret): every kubectl custom resource's properties, doubled for an update
 * event, within 80% of the asynchronous invocation payload limit; the template within 700 KB; every
 * object the kubectl provider applies, as kubectl sends it, within 200 KiB. tools/testing/limits.ts
 * says where each limit comes from.
 */
describe('size limits', () => {
  const app = new App();
  const { stack, cluster } = clusterStack({
    monitoring: {},
    containerLogs: {},
    backup: {},
  }, app);
  addContent(stack, cluster);
  const artifact = app.synth().getStackByName(stack.stackName);
  const template = artifact.template;

  test('every kubectl custom resource\'s properties fit an update event', () => {
    const sizes = customResourceSizes(template);
    expect(sizes.length).toBeGreaterThan(3);
    expectWithinLimits(sizes);
  });

  test('the template stays within 700 KB', () => {
    expectWithinLimits(templateFileSizes([artifact.templateFullPath]));
  });

  test('every object the kubectl provider applies, as kubectl sends it, stays within 200 KiB', () => {
    const objects = Object.values<any>(template.Resources)
      .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && typeof r.Properties.Manifest === 'string')
      .flatMap((r) => JSON.parse(r.Properties.Manifest));
    expectWithinLimits(objectSizes(objects));
  });
});
