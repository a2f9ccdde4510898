import { expectError } from '../../../tools/testing/errors';
import { credentialsEnv, credentialsVolume, resolveCredentials } from '../src';

describe('credentials', () => {
  test('default keys: accessKey and secretKey, as S3 names them', () => {
    expect(resolveCredentials('credentials', { secretName: 'minio-root' })).toEqual({ secretName: 'minio-root', accessKeyKey: 'accessKey', secretKeyKey: 'secretKey' });
  });

  test('custom keys', () => {
    expect(resolveCredentials('backend.credentials', { secretName: 's', accessKeyKey: 'AWS_ACCESS_KEY_ID', secretKeyKey: 'AWS_SECRET_ACCESS_KEY' }))
      .toEqual({ secretName: 's', accessKeyKey: 'AWS_ACCESS_KEY_ID', secretKeyKey: 'AWS_SECRET_ACCESS_KEY' });
  });

  test('as environment variables read from the Secret, never values', () => {
    const credentials = resolveCredentials('credentials', { secretName: 'root' });
    expect(credentialsEnv(credentials, 'USER', 'PASSWORD')).toEqual([
      { name: 'USER', valueFrom: { secretKeyRef: { name: 'root', key: 'accessKey' } } },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'root', key: 'secretKey' } } },
    ]);
  });

  test('as two files readable by the pod group only', () => {
    const credentials = resolveCredentials('credentials', { secretName: 'keys', accessKeyKey: 'user', secretKeyKey: 'password' });
    expect(credentialsVolume('credentials', credentials)).toEqual({
      name: 'credentials',
      secret: { secretName: 'keys', items: [{ key: 'user', path: 'accessKey' }, { key: 'password', path: 'secretKey' }], defaultMode: 0o440 },
    });
  });

  describe('validation', () => {
    test.each([
      ['a missing Secret name', { secretName: '' }, "'credentials.secretName' must name an existing Secret that holds the access key and secret key, got ''"],
      ['an invalid Secret name', { secretName: 'Root_Secret' }, "'credentials.secretName' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'Root_Secret'"],
      ['an empty access key key', { secretName: 's', accessKeyKey: '' }, "'credentials.accessKeyKey' must be a Secret data key (letters, digits, '-', '_' and '.'), got ''"],
      ['an invalid secret key key', { secretName: 's', secretKeyKey: 'pass word' }, "'credentials.secretKeyKey' must be a Secret data key (letters, digits, '-', '_' and '.'), got 'pass word'"],
      ['one key for both', { secretName: 's', accessKeyKey: 'k', secretKeyKey: 'k' }, "'credentials.secretKeyKey' must differ from 'credentials.accessKeyKey', got 'k'"],
    ])('%s fails', (_case, credentials, message) => {
      expectError(() => resolveCredentials('credentials', credentials), message);
    });
  });
});
