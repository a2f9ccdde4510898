/**
 * The context values of the operations wiring (`-c alertEmails=...`, `-c chatWebhookSecretArn=...`,
 * `-c drRegion=...`), each checked: a value that cannot work stops `cdk synth` with a message naming
 * the key and what it accepts. A webhook URL given by mistake is never echoed: it is a credential.
 */
import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { contextValue } from './context-value';
import { DEFAULT_DR_REGION } from './environment-config';

const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
// The complete ARN: Secrets Manager appends '-' and 6 random characters to the name.
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d$/;
// A scheme's '://' anywhere in the value: a URL, which is never echoed (an ARN holds no '//').
const URL_LIKE = /:\/\//;

/** The e-mail addresses of `-c alertEmails=a@example.com,b@example.com` (none when absent), each checked. */
export function alertEmails(scope: IConstruct): string[] {
  const raw = contextValue(scope, 'alertEmails');
  if (raw === undefined) return [];
  const emails = raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const email of emails) {
    if (!EMAIL.test(email)) {
      throw new Error(`'-c alertEmails' must list e-mail addresses (name@domain.tld), separated by commas, got "${email}"`);
    }
  }
  const repeated = emails.find((e, i) => emails.indexOf(e) !== i);
  if (repeated) throw new Error(`'-c alertEmails' must name each address once, got "${repeated}" twice`);
  return emails;
}

/**
 * The ARN of `-c chatWebhookSecretArn=arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>`
 * (undefined when absent): the complete ARN of a secret of the stack's region whose whole value is the
 * webhook URL.
 */
export function chatWebhookSecretArn(scope: IConstruct, region: string): string | undefined {
  const raw = contextValue(scope, 'chatWebhookSecretArn');
  if (raw === undefined) return undefined;
  const allowed = 'the complete ARN of a Secrets Manager secret holding the chat webhook URL (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)';
  if (URL_LIKE.test(raw)) {
    throw new Error(`'-c chatWebhookSecretArn' must be ${allowed}, got a URL: store the URL in Secrets Manager and pass the secret's ARN, never the URL`);
  }
  const match = SECRET_ARN.exec(raw);
  if (!match) throw new Error(`'-c chatWebhookSecretArn' must be ${allowed}, got "${raw}"`);
  if (!Token.isUnresolved(region) && match[1] !== region) {
    throw new Error(`'-c chatWebhookSecretArn' must be a secret in the stack's region (${region}), where External Secrets Operator reads it, got one in ${match[1]}`);
  }
  return raw;
}

/** The region of `-c drRegion=<region>` (the default when absent), which must differ from the stack's. */
export function disasterRecoveryRegion(scope: IConstruct, primaryRegion: string): string {
  const region = contextValue(scope, 'drRegion') ?? DEFAULT_DR_REGION;
  if (!REGION.test(region)) {
    throw new Error(`'-c drRegion' must be an AWS region name such as us-west-2, got "${region}"`);
  }
  if (region === primaryRegion) {
    throw new Error(`'-c drRegion' must be another region than the stack's (${primaryRegion}): copies in the same region do not survive its loss, got "${region}"`);
  }
  return region;
}
