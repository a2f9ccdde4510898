import { Testing } from 'cdk8s';
import { Minio } from '../src';

test('keeps the namespace', () => {
  expect(new Minio(Testing.chart(), 'X', { namespace: 'web' }).namespace).toBe('web');
});
