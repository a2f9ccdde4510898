import { App, Stack } from 'aws-cdk-lib';
import { expectWithinLimits, templateFileSizes } from '../../../tools/testing/limits';
import { EksEndpoints, Network } from '../src';

/** The largest network (most zones, a NAT gateway per zone, every EKS endpoint): its template within 700 KB. */
describe('size limits', () => {
  test('the template of the largest network stays within 700 KB', () => {
    const app = new App();
    const stack = new Stack(app, 'Largest', { env: { account: '123456789012', region: 'us-east-1' } });
    new Network(stack, 'Network', {
      maxAzs: 6,
      natGateways: 6,
      interfaceEndpoints: EksEndpoints.ALL,
    });
    expectWithinLimits(templateFileSizes([app.synth().getStackByName(stack.stackName).templateFullPath]));
  });
});
