import { expectError } from './helpers';
import {
  checkDnsLabel, checkDnsSubdomain, checkInteger, checkLabels, checkPercent, checkPrometheusLabelName, checkSecretKey, show,
} from '../src/validation';

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

  test('percentages', () => {
    for (const ok of [1, 50.5, 99]) expect(() => checkPercent('t', ok)).not.toThrow();
    expectError(() => checkPercent('t', 0.5), "'t' must be a percentage between 1 and 99, got 0.5");
    expectError(() => checkPercent('t', Infinity), "'t' must be a percentage between 1 and 99, got Infinity");
  });

  test('Prometheus label names', () => {
    for (const ok of ['team', '_x', 'a1_B']) expect(() => checkPrometheusLabelName('l', ok)).not.toThrow();
    for (const bad of ['1a', 'a-b', '__meta', '']) {
      expectError(() => checkPrometheusLabelName('l', bad),
        `'l' must be a Prometheus label name (letters, digits and '_', not starting with a digit or '__'), got '${bad}'`);
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
