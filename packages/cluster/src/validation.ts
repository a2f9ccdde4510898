import { Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Throws unless the value is a Kubernetes DNS-1123 label (namespaces, most object names). */
export function checkDnsLabel(prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !DNS_LABEL.test(value)) {
    throw new Error(`'${prop}' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got '${value}'`);
  }
}

/** Throws unless the value is a Kubernetes DNS-1123 subdomain (service account names). */
export function checkDnsSubdomain(prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !DNS_SUBDOMAIN.test(value)) {
    throw new Error(`'${prop}' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got '${value}'`);
  }
}

// What an EKS access entry takes for a role: the role's own ARN, path included.
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/;

/** Throws unless the value is an IAM role ARN (not an assumed-role session, a user or a name). */
export function checkRoleArn(prop: string, arn: string): void {
  if (Token.isUnresolved(arn) || ROLE_ARN.test(arn)) return;
  const hint = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\//.test(arn)
    ? ": that is an assumed-role session, give the role's ARN (arn:aws:iam::<account>:role/<name>)"
    : '';
  throw new Error(`'${prop}' must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got '${arn}'${hint}`);
}

/** The retention periods CloudWatch Logs accepts, in days (`logs.RetentionDays`; 9999 is INFINITE). */
const LOG_RETENTION_DAYS = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');

/**
 * Throws unless the value is a retention CloudWatch Logs accepts. The enum already restricts jsii
 * languages; this catches numbers cast to the enum, which CloudFormation would only reject at deploy.
 */
export function checkLogRetention(prop: string, value: logs.RetentionDays): void {
  if (!Token.isUnresolved(value) && !LOG_RETENTION_DAYS.includes(value)) {
    const allowed = LOG_RETENTION_DAYS.filter((d) => d !== logs.RetentionDays.INFINITE).join(', ');
    throw new Error(`'${prop}' must be a retention CloudWatch Logs accepts (${allowed} days, or logs.RetentionDays.INFINITE), got ${value}`);
  }
}

// Deliberately simple (what AWS Budgets and SNS will deliver to): one @, no spaces, a dotted domain.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Throws unless every item is an e-mail address, once, and there are at most `max`. */
export function checkEmails(prop: string, emails: string[], max?: number): void {
  if (max !== undefined && emails.length > max) {
    throw new Error(`'${prop}' must list at most ${max} e-mail addresses, got ${emails.length}`);
  }
  for (const email of emails) {
    if (!Token.isUnresolved(email) && !EMAIL.test(email)) {
      throw new Error(`'${prop}' must contain only e-mail addresses (name@domain.tld), got '${email}'`);
    }
  }
  const repeated = emails.find((email, i) => !Token.isUnresolved(email) && emails.indexOf(email) !== i);
  if (repeated !== undefined) {
    throw new Error(`'${prop}' must name each address once, got '${repeated}' twice`);
  }
}
