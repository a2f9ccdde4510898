import { checkDnsLabel, checkDnsSubdomain } from '../src/validation';

describe('Kubernetes names', () => {
  test.each(['web', 'a', 'web-1', 'a'.repeat(63)])('%s is a DNS label', (value) => {
    expect(() => checkDnsLabel('namespace', value)).not.toThrow();
  });

  test.each(['Web', '-web', 'web-', 'we_b', 'a.b', 'a'.repeat(64), ''])('%s is not a DNS label', (value) => {
    expect(() => checkDnsLabel('namespace', value))
      .toThrow(`'namespace' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got '${value}'`);
  });

  test.each(['web', 'web.seeder', 'a-b.c-d'])('%s is a DNS subdomain', (value) => {
    expect(() => checkDnsSubdomain('serviceAccount', value)).not.toThrow();
  });

  test.each(['Web', 'web..seeder', '.web', 'we_b'])('%s is not a DNS subdomain', (value) => {
    expect(() => checkDnsSubdomain('serviceAccount', value))
      .toThrow(`'serviceAccount' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got '${value}'`);
  });
});
