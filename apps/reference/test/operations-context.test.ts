/**
 * The context values of the operations wiring, read and checked one by one (operations.test.ts checks
 * what the stack does with them): every form a user may type that must work, and the mistakes that
 * must stop the synth.
 */
import { App } from 'aws-cdk-lib';
import { contextValue } from '../src/context-value';
import { DEFAULT_DR_REGION } from '../src/environment-config';
import { alertEmails, chatWebhookSecretArn, disasterRecoveryRegion } from '../src/operations-context';

const scope = (context: Record<string, unknown>) => new App({ context });
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s3www/alerts-webhook-AbCdEf';
const WEBHOOK_URL = ['https://hooks.slack.com', 'services', 'T000', 'B000', 'XXXX'].join('/');

describe('contextValue', () => {
  test.each([
    ['absent', {}, undefined],
    ['null, as cdk.json may hold it', { key: null }, undefined],
    ['empty', { key: '' }, undefined],
    ['blank', { key: '  ' }, undefined],
    ['padded with blanks', { key: ' value ' }, 'value'],
    ['a number', { key: 3 }, '3'],
  ])('a value that is %s', (_, context, expected) => {
    expect(contextValue(scope(context), 'key')).toBe(expected);
  });
});

describe('-c alertEmails', () => {
  test('lists each address, blanks and empty items left out', () => {
    expect(alertEmails(scope({ alertEmails: ' oncall@example.com,, lead@example.com, ' }))).toEqual(['oncall@example.com', 'lead@example.com']);
    expect(alertEmails(scope({}))).toEqual([]);
  });

  test('refuses addresses separated by blanks instead of commas', () => {
    expect(() => alertEmails(scope({ alertEmails: 'oncall@example.com lead@example.com' })))
      .toThrow('\'-c alertEmails\' must list e-mail addresses (name@domain.tld), separated by commas, got "oncall@example.com lead@example.com"');
  });
});

describe('-c chatWebhookSecretArn', () => {
  test.each([
    ['the complete ARN', ARN, 'us-east-1', ARN],
    ['the complete ARN, padded', ` ${ARN} `, 'us-east-1', ARN],
    ['a secret of GovCloud', 'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:hook-AbCdEf', 'us-gov-west-1',
      'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:hook-AbCdEf'],
  ])('takes %s', (_, value, region, expected) => {
    expect(chatWebhookSecretArn(scope({ chatWebhookSecretArn: value }), region)).toBe(expected);
  });

  test.each([
    ['the secret\'s name', 's3www/alerts-webhook'],
    ['a partial ARN, without the 6 characters Secrets Manager appends', `${ARN}gh`],
    ['an ARN after other text', `chatWebhookSecretArn=${ARN}`],
  ])('refuses %s, and shows it', (_, value) => {
    expect(() => chatWebhookSecretArn(scope({ chatWebhookSecretArn: value }), 'us-east-1')).toThrow(`, got "${value}"`);
  });

  test.each([
    ['a URL', WEBHOOK_URL],
    ['a URL after other text', `webhook=${WEBHOOK_URL}`],
  ])('refuses %s and never shows it', (_, value) => {
    expect(() => chatWebhookSecretArn(scope({ chatWebhookSecretArn: value }), 'us-east-1')).toThrow(/got a URL: store the URL in Secrets Manager/);
    expect(() => chatWebhookSecretArn(scope({ chatWebhookSecretArn: value }), 'us-east-1')).not.toThrow(/hooks/);
  });
});

describe('-c drRegion', () => {
  test.each([
    ['absent: the default', {}, DEFAULT_DR_REGION],
    ['padded', { drRegion: ' eu-west-1 ' }, 'eu-west-1'],
    ['a GovCloud region', { drRegion: 'us-gov-west-1' }, 'us-gov-west-1'],
    ['an isolated region', { drRegion: 'us-iso-east-1' }, 'us-iso-east-1'],
    ['an isolated region of another letter', { drRegion: 'us-isob-east-1' }, 'us-isob-east-1'],
  ])('takes %s', (_, context, expected) => {
    expect(disasterRecoveryRegion(scope(context), 'us-east-1')).toBe(expected);
  });

  test.each([
    ['an Availability Zone', 'us-west-2a'],
    ['a region after a partition', 'aws-us-west-2'],
  ])('refuses %s', (_, value) => {
    expect(() => disasterRecoveryRegion(scope({ drRegion: value }), 'us-east-1')).toThrow(`'-c drRegion' must be an AWS region name such as us-west-2, got "${value}"`);
  });
});
