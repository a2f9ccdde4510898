import { COMPONENT, objectLabels, selectorLabels } from '../src/labels';

describe('labels', () => {
  test('selectors use name, instance and component', () => {
    expect(selectorLabels('minio', COMPONENT.server)).toEqual({
      'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'minio', 'app.kubernetes.io/component': 'server',
    });
  });

  test('objects also say who manages them', () => {
    expect(objectLabels('minio', COMPONENT.bucketJob)).toEqual({ ...selectorLabels('minio', 'bucket-job'), 'app.kubernetes.io/managed-by': 'cdk8s' });
  });
});
