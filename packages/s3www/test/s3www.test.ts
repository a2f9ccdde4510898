import { Testing } from 'cdk8s';
import { S3www } from '../src';

test('keeps the namespace', () => {
  expect(new S3www(Testing.chart(), 'X', { namespace: 'web' }).namespace).toBe('web');
});
