import { expectError } from '../../../tools/testing/errors';
import {
  checkCidr, checkDnsLabel, checkDnsSubdomain, checkExclusive, checkHttpUrl, checkInteger, checkLabels, checkPort, checkSecretKey, checkUrlPath,
  isUnresolvedToken, show,
} from '../src';

describe('validation helpers', () => {
  test('show quotes strings and writes lists and objects as JSON', () => {
    expect([show('a'), show(1), show(undefined), show(null), show([]), show({ a: 'b' })]).toEqual(["'a'", '1', 'undefined', 'null', '[]', '{"a":"b"}']);
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

  test('ports', () => {
    expect(() => checkPort('servicePort', 65535)).not.toThrow();
    expectError(() => checkPort('servicePort', 0), "'servicePort' must be a whole number between 1 and 65535, got 0");
  });

  test('mutually exclusive props', () => {
    expect(() => checkExclusive({ a: 1, b: undefined })).not.toThrow();
    expectError(() => checkExclusive({ replicas: 2, autoscaling: {} }), "'replicas' and 'autoscaling' are mutually exclusive: set one of them");
  });

  test.each(['10.0.0.0/16', '0.0.0.0/0', '192.168.1.1/32', '2001:db8::/32', '::/0'])('%s is a CIDR block', (value) => {
    expect(() => checkCidr('c', value)).not.toThrow();
  });

  test.each(['10.0.0.0', '10.0.0.256/16', '10.0.0.0/33', 'vpc', '2001:db8::/129'])('%s is not a CIDR block', (value) => {
    expectError(() => checkCidr('c', value), `'c' must be an IPv4 or IPv6 CIDR block such as 10.0.0.0/16, got '${value}'`);
  });

  test('http URLs', () => {
    expect(checkHttpUrl('u', 'https://example.com/a').hostname).toBe('example.com');
    for (const bad of ['ftp://example.com/a', 'not a url', 'http://']) {
      expectError(() => checkHttpUrl('u', bad), `'u' must be an http:// or https:// URL, got '${bad}'`);
    }
  });

  test('AWS CDK tokens are told apart from values', () => {
    expect(['${Token[TOKEN.123]}', 'arn:${Token[AWS.Partition.9]}:acm:x'].map(isUnresolvedToken)).toEqual([true, true]);
    expect(['arn:aws:acm:us-east-1:123456789012:certificate/x', '${Token}', '$[Token[x]]', ''].map(isUnresolvedToken)).toEqual([false, false, false, false]);
  });

  test('URL paths', () => {
    expect(() => checkUrlPath('p', '/index.html?x=1')).not.toThrow();
    for (const bad of ['index.html', '/a b', '']) {
      expectError(() => checkUrlPath('p', bad), `'p' must be an absolute URL path starting with '/', got '${bad}'`);
    }
  });

  test('Kubernetes labels', () => {
    expect(() => checkLabels('m', { 'release': 'kube-prometheus-stack', 'example.com/team': 'a_b.c', 'empty': '' })).not.toThrow();
    const key = "'m' keys must be Kubernetes label keys ([prefix/]name, the name at most 63 letters, digits, '-', '_' and '.')";
    expectError(() => checkLabels('m', { 'Bad_Prefix/x': 'v' }), `${key}, got 'Bad_Prefix/x'`);
    expectError(() => checkLabels('m', { ['a'.repeat(64)]: 'v' }), `${key}, got '${'a'.repeat(64)}'`);
    expectError(() => checkLabels('m', { '-a': 'v' }), `${key}, got '-a'`);
    expectError(() => checkLabels('m', { a: 'v'.repeat(64) }),
      `'m.a' must be a Kubernetes label value (at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit), got '${'v'.repeat(64)}'`);
  });
});
