import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ChatWebhook, Cluster, NotificationOptions } from '../src';
import { clusterStack, providerFootprint, vpcStack } from './fixtures';

const TOPIC = 'AWS::SNS::Topic';

describe('notifications with defaults', () => {
  let template: Template;
  beforeAll(() => {
    // Lean: the topic and the alarms are native CloudFormation and need no kubectl Lambda.
    const { stack } = clusterStack({ notifications: { emails: ['oncall@example.com', 'lead@example.com'] }, kubectlEnabled: false });
    template = Template.fromStack(stack);
  });

  test('creates an SNS topic encrypted with a new rotating key, named after the cluster', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('^SNS topic of the alerts') } }));
    template.hasResourceProperties(TOPIC, { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, DisplayName: Match.stringLikeRegexp(' alerts$') });
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('^SNS topic of the alerts'), EnableKeyRotation: true });
  });

  test('the key lets CloudWatch and AWS Budgets encrypt what they publish', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('^SNS topic'),
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AlarmsAndBudgetsPublishToTheTopic',
          Principal: { Service: ['cloudwatch.amazonaws.com', 'budgets.amazonaws.com'] },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        })]),
      },
    });
  });

  test('the topic policy admits CloudWatch alarms and budgets of this account only, and nothing without TLS', () => {
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => [s.Sid, s.Effect, s.Principal])).toEqual([
      ['AllowPublishThroughSSLOnly', 'Deny', '*'],
      ['CloudWatchAlarmsOfThisAccount', 'Allow', { Service: 'cloudwatch.amazonaws.com' }],
      ['BudgetsOfThisAccount', 'Allow', { Service: 'budgets.amazonaws.com' }],
    ]);
    expect(statements[1].Condition).toEqual({
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:123456789012:alarm:*']] } },
    });
    expect(statements[2].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::123456789012:*']] } },
    });
  });

  test('subscribes every e-mail address to the topic', () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map((s) => [s.Properties.Protocol, s.Properties.Endpoint]);
    expect(subscriptions).toEqual([['email', 'oncall@example.com'], ['email', 'lead@example.com']]);
  });

  test('needs no Lambda function and no custom resource: it works on a lean cluster', () => {
    expect(providerFootprint(template)).toEqual({ lambdas: 0, customResources: 0 });
  });
});

describe('notifications options', () => {
  test('a given topic is used as it is: no topic, key or policy is created, the e-mails subscribe to it', () => {
    // GIVEN
    const { stack, vpc } = vpcStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');

    // WHEN
    const cluster = new Cluster(stack, 'Cluster', { vpc, notifications: { topic, emails: ['ops@example.com'] } });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(TOPIC, 0);
    template.resourceCountIs('AWS::SNS::TopicPolicy', 0);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:pager', Protocol: 'email', Endpoint: 'ops@example.com' });
    expect(cluster.notifications!.topic).toBe(topic);
    expect(cluster.notifications!.topicKey).toBeUndefined();
  });

  test('no e-mail is fine: the topic still exists for a pager to subscribe', () => {
    const { stack, cluster } = clusterStack({ notifications: {} });
    const template = Template.fromStack(stack);
    template.resourceCountIs(TOPIC, 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(cluster.notifications!.emails).toEqual([]);
    expect(cluster.notifications!.runbookBaseUrl).toBe('https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md');
  });

  test('is off by default', () => {
    const { stack, cluster } = clusterStack();
    Template.fromStack(stack).resourceCountIs(TOPIC, 0);
    expect(cluster.notifications).toBeUndefined();
    expect(cluster.alarms).toEqual([]);
  });

  test('a chat webhook without monitoring is a warning: only Alertmanager posts to chat', () => {
    const { stack } = clusterStack({ notifications: { chatWebhook: ChatWebhook.slack(secretsmanager.Secret.fromSecretNameV2(new Stack(), 'W', 'chat')) } });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp("'notifications.chatWebhook' is used by Alertmanager only"));
  });
});

describe('validation', () => {
  const secret = () => secretsmanager.Secret.fromSecretNameV2(new Stack(), 'Webhook', 'alerts/webhook');
  const cases: Array<[string, () => NotificationOptions, string]> = [
    ['an invalid e-mail', () => ({ emails: ['oncall@example.com', 'oncall@'] }),
      "'notifications.emails' must contain only e-mail addresses (name@domain.tld), got 'oncall@'"],
    ['a repeated e-mail', () => ({ emails: ['oncall@example.com', 'oncall@example.com'] }),
      "'notifications.emails' must name each address once, got 'oncall@example.com' twice"],
    ['a runbook page with a fragment', () => ({ runbookBaseUrl: 'https://wiki.example.com/ops#alarms' }),
      "'notifications.runbookBaseUrl' must be an http(s) URL without a fragment, got 'https://wiki.example.com/ops#alarms'"],
  ];

  test.each(cases)('rejects %s', (_, options, message) => {
    expect(() => clusterStack({ notifications: options() })).toThrow(message);
  });

  test('rejects a webhook that is not a Secrets Manager secret, without echoing the URL', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXX';
    expect(() => ChatWebhook.slack(url as any)).toThrow(
      "'chatWebhook' must be a Secrets Manager secret (secretsmanager.ISecret) holding the webhook URL, got a URL; store the URL in Secrets Manager, never in code or templates");
    expect(() => ChatWebhook.slack(url as any)).not.toThrow(/hooks\.slack\.com/);
    expect(() => ChatWebhook.slack(undefined as any)).toThrow("'chatWebhook' must be a Secrets Manager secret (secretsmanager.ISecret) holding the webhook URL, got undefined");
  });

  test('rejects a URL given as the JSON field, without echoing it', () => {
    expect(() => ChatWebhook.slack(secret(), { urlField: 'https://hooks.slack.com/services/T000/B000/XXXX' })).toThrow(
      "'chatWebhook urlField' must name the JSON property of the secret that holds the webhook URL, got a URL; store the URL in the secret's value, never in code or templates");
  });

  test.each([
    [{ urlField: 'web hook' }, "'chatWebhook urlField' must be a JSON property name (1-128 letters, digits, '_', '-' and '.'), got 'web hook'"],
    [{ channel: 'Alerts Channel' }, "'chatWebhook channel' must be a Slack channel name (lowercase letters, digits, '.', '_' and '-', at most 80, optionally after '#'), got 'Alerts Channel'"],
  ])('rejects %j', (options, message) => {
    expect(() => ChatWebhook.slack(secret(), options)).toThrow(message);
  });

  test('accepts a plain-text secret, a JSON field and a channel', () => {
    const webhook = ChatWebhook.slack(secret(), { urlField: 'url', channel: '#alerts' });
    expect([webhook.urlField, webhook.channel]).toEqual(['url', '#alerts']);
    expect(ChatWebhook.slack(secret()).urlField).toBeUndefined();
  });
});
