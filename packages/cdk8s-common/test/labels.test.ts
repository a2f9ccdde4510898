import { objectLabels, selectorLabels } from '../src';

describe('labels', () => {
  test('selectors use name, instance and component', () => {
    expect(selectorLabels('minio', 'store', 'server')).toEqual({
      'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'store', 'app.kubernetes.io/component': 'server',
    });
  });

  test('objects also say who manages them', () => {
    expect(objectLabels('s3www', 'site', 'web')).toEqual({ ...selectorLabels('s3www', 'site', 'web'), 'app.kubernetes.io/managed-by': 'cdk8s' });
  });
});
