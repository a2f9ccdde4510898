import { expectError } from './helpers';
import { resolveCredentials } from '../src/credentials';

describe('credentials', () => {
  test('default keys follow the official chart', () => {
    expect(resolveCredentials({ secretName: 'minio-root' })).toEqual({ secretName: 'minio-root', userKey: 'rootUser', passwordKey: 'rootPassword' });
  });

  test('custom keys', () => {
    expect(resolveCredentials({ secretName: 's', userKey: 'AWS_ACCESS_KEY_ID', passwordKey: 'AWS_SECRET_ACCESS_KEY' }))
      .toEqual({ secretName: 's', userKey: 'AWS_ACCESS_KEY_ID', passwordKey: 'AWS_SECRET_ACCESS_KEY' });
  });

  describe('validation', () => {
    test.each([
      ['a missing Secret name', { secretName: '' }, "'credentials.secretName' must name an existing Secret that holds the root user and password, got ''"],
      ['an invalid Secret name', { secretName: 'Root_Secret' }, "'credentials.secretName' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'Root_Secret'"],
      ['an empty user key', { secretName: 's', userKey: '' }, "'credentials.userKey' must be a Secret data key (letters, digits, '-', '_' and '.'), got ''"],
      ['an invalid password key', { secretName: 's', passwordKey: 'pass word' }, "'credentials.passwordKey' must be a Secret data key (letters, digits, '-', '_' and '.'), got 'pass word'"],
      ['one key for both', { secretName: 's', userKey: 'k', passwordKey: 'k' }, "'credentials.userKey' and 'credentials.passwordKey' must differ, got 'k' for both"],
    ])('%s fails', (_case, credentials, message) => {
      expectError(() => resolveCredentials(credentials), message);
    });
  });
});
