import * as logs from 'aws-cdk-lib/aws-logs';
import { checkDnsLabel, checkDnsSubdomain, checkLogRetention, checkRoleArn } from '../src/validation';

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

describe('CloudWatch Logs retention', () => {
  test.each(Object.values(logs.RetentionDays).filter((v) => typeof v === 'number'))('%s days is accepted', (days) => {
    expect(() => checkLogRetention('logRetention', days as logs.RetentionDays)).not.toThrow();
  });

  test.each([0, 2, 15, 366, 10000])('%s days is rejected', (days) => {
    expect(() => checkLogRetention('logRetention', days as logs.RetentionDays)).toThrow(
      `'logRetention' must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days, or logs.RetentionDays.INFINITE), got ${days}`);
  });
});

describe('IAM role ARNs', () => {
  test.each([
    'arn:aws:iam::123456789012:role/support',
    'arn:aws:iam::123456789012:role/teams/web/support',
    'arn:aws-us-gov:iam::123456789012:role/AWSReservedSSO_ViewOnly_0123456789abcdef',
  ])('%s is a role ARN', (arn) => {
    expect(() => checkRoleArn('role', arn)).not.toThrow();
  });

  test.each(['support', 'arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::12345678901:role/support', 'arn:aws:iam::123456789012:role/'])('%s is not a role ARN', (arn) => {
    expect(() => checkRoleArn('role', arn)).toThrow(`'role' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got '${arn}'`);
  });

  test('an assumed-role session ARN is told apart from its role', () => {
    expect(() => checkRoleArn('admins', 'arn:aws:sts::123456789012:assumed-role/Admin/alice')).toThrow(
      "'admins' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got 'arn:aws:sts::123456789012:assumed-role/Admin/alice': "
      + "that is an assumed-role session, give the role's ARN (arn:aws:iam::<account>:role/<name>)");
  });
});
