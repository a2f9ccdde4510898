import { deploymentTarget, OFFLINE_TARGET } from '../src/deployment-target';

test('without credentials the offline account and region are used', () => {
  expect(deploymentTarget({})).toEqual({ account: '123456789012', region: 'us-east-1' });
  expect(OFFLINE_TARGET).toEqual({ account: '123456789012', region: 'us-east-1' });
});

test('the CDK CLI\'s account and region win when present', () => {
  expect(deploymentTarget({ CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: 'eu-west-1' }))
    .toEqual({ account: '210987654321', region: 'eu-west-1' });
});
