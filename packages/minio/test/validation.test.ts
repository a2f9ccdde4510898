import { expectError } from './helpers';
import { checkDnsLabel, checkDnsSubdomain, checkInteger, checkSecretKey, show } from '../src/validation';

describe('validation helpers', () => {
  test('show quotes strings only', () => {
    expect([show('a'), show(1), show(undefined)]).toEqual(["'a'", '1', 'undefined']);
  });

  test.each(['a', 'minio', 'minio-0', 'a'.repeat(63)])('%s is a DNS label', (value) => {
    expect(() => checkDnsLabel('p', value)).not.toThrow();
  });

  test.each(['', '-a', 'a-', 'A', 'a.b', 'a'.repeat(64)])('%j is not a DNS label', (value) => {
    expectError(() => checkDnsLabel('p', value),
      `'p' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 63 characters, got '${value}'`);
  });

  test.each(['a', 'cluster.local', 'gp3-encrypted'])('%s is a DNS subdomain', (value) => {
    expect(() => checkDnsSubdomain('p', value)).not.toThrow();
  });

  test.each(['', 'a..b', '.a', 'a_b', 'a'.repeat(254)])('%j is not a DNS subdomain', (value) => {
    expectError(() => checkDnsSubdomain('p', value),
      `'p' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got '${value}'`);
  });

  test('secret keys', () => {
    expect(() => checkSecretKey('k', 'AWS_SECRET.key-1')).not.toThrow();
    expectError(() => checkSecretKey('k', 'a/b'), "'k' must be a Secret data key (letters, digits, '-', '_' and '.'), got 'a/b'");
  });

  test('integers', () => {
    expect(() => checkInteger('n', 3, 1, 3)).not.toThrow();
    expectError(() => checkInteger('n', 4, 1, 3), "'n' must be a whole number between 1 and 3, got 4");
    expectError(() => checkInteger('n', NaN, 1), "'n' must be a whole number of at least 1, got NaN");
  });
});
