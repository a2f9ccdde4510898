import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { checkEmails } from './validation';

/** Page of the runbooks every alarm description and alert links to. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';

const JSON_FIELD = /^[A-Za-z0-9_.-]{1,128}$/;
const SLACK_CHANNEL = /^[#@]?[a-z0-9][a-z0-9._-]{0,79}$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Options of a Slack-compatible incoming webhook. */
export interface SlackWebhookOptions {
  /**
   * JSON property of the secret value that holds the webhook URL.
   * @default - the whole secret value is the URL (a plain-text secret)
   */
  readonly urlField?: string;

  /**
   * Channel to post to, for webhooks that may post to several (`#alerts`).
   * @default - the webhook's own channel
   */
  readonly channel?: string;
}

/**
 * A chat webhook Alertmanager posts alerts to. Its URL is a credential: it stays in AWS Secrets
 * Manager, External Secrets Operator copies it into a Kubernetes Secret in the `monitoring` namespace,
 * and Alertmanager reads it from a file. No template, manifest or Helm value holds it.
 *
 * @example
 * declare const webhook: secretsmanager.ISecret;
 * ChatWebhook.slack(webhook, { channel: '#alerts' });
 */
export class ChatWebhook {
  /**
   * A Slack incoming webhook, or any chat that accepts Slack's webhook payload (Mattermost, Rocket.Chat).
   * @param secret the Secrets Manager secret holding the webhook URL
   * @param options where the URL is in the secret, and the channel
   */
  public static slack(secret: secretsmanager.ISecret, options: SlackWebhookOptions = {}): ChatWebhook {
    return new ChatWebhook(secret, options.urlField, options.channel);
  }

  /** The Secrets Manager secret holding the webhook URL. */
  public readonly secret: secretsmanager.ISecret;

  /** JSON property of the secret value that holds the URL, unless the whole value is the URL. */
  public readonly urlField?: string;

  /** Channel to post to, if not the webhook's own. */
  public readonly channel?: string;

  private constructor(secret: secretsmanager.ISecret, urlField: string | undefined, channel: string | undefined) {
    const candidate = secret as unknown;
    if (typeof candidate !== 'object' || candidate === null || typeof (candidate as { secretArn?: unknown }).secretArn !== 'string') {
      // Never echo the value: a webhook URL given here by mistake is a credential.
      const given = typeof candidate === 'string' ? (URL_LIKE.test(candidate) ? 'a URL' : 'a string') : typeof candidate;
      throw new Error(`'chatWebhook' must be a Secrets Manager secret (secretsmanager.ISecret) holding the webhook URL, got ${given}; store the URL in Secrets Manager, never in code or templates`);
    }
    if (urlField !== undefined && !Token.isUnresolved(urlField)) {
      if (URL_LIKE.test(urlField)) {
        throw new Error("'chatWebhook urlField' must name the JSON property of the secret that holds the webhook URL, got a URL; store the URL in the secret's value, never in code or templates");
      }
      if (!JSON_FIELD.test(urlField)) {
        throw new Error(`'chatWebhook urlField' must be a JSON property name (1-128 letters, digits, '_', '-' and '.'), got '${urlField}'`);
      }
    }
    if (channel !== undefined && !SLACK_CHANNEL.test(channel)) {
      throw new Error(`'chatWebhook channel' must be a Slack channel name (lowercase letters, digits, '.', '_' and '-', at most 80, optionally after '#'), got '${channel}'`);
    }
    this.secret = secret;
    this.urlField = urlField;
    this.channel = channel;
  }
}

/** Who is told when something goes wrong: an SNS topic, its e-mail subscribers and a chat webhook. */
export interface NotificationOptions {
  /**
   * The SNS topic that pages: critical alerts of Alertmanager, every CloudWatch alarm of the cluster and
   * the budget. Subscribe your pager (HTTPS, e.g. PagerDuty or Opsgenie) or SMS to it. A given topic must
   * let `cloudwatch.amazonaws.com` and `budgets.amazonaws.com` publish (topic policy and, when encrypted,
   * key policy); the construct grants Alertmanager's role itself.
   * @default - a new topic encrypted with a new KMS key (yearly rotation), TLS enforced
   */
  readonly topic?: sns.ITopic;

  /**
   * E-mail addresses subscribed to the topic. Each receives a confirmation e-mail first and nothing
   * until it confirms.
   * @default - none
   */
  readonly emails?: string[];

  /**
   * A chat channel that receives every alert: critical ones beside the topic, warnings instead of it.
   * @default - none: warnings go to the topic too
   */
  readonly chatWebhook?: ChatWebhook;

  /**
   * Page the alarm descriptions point at; `#<alarm name in lowercase>` is appended.
   * @default 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md'
   */
  readonly runbookBaseUrl?: string;
}

/** Properties of {@link Notifications}. */
export interface NotificationsProps extends NotificationOptions {
  /** Name of the cluster, for the topic's display name. */
  readonly clusterName: string;
}

/**
 * The notification targets of a cluster: its SNS topic (created encrypted, or given), the e-mail
 * subscriptions and the chat webhook. The topic policy lets CloudWatch alarms and AWS Budgets of this
 * account publish, and nobody publish without TLS.
 */
export class Notifications extends Construct {
  /** The SNS topic that pages. */
  public readonly topic: sns.ITopic;

  /** The KMS key encrypting the topic, when this construct created the topic. */
  public readonly topicKey?: kms.IKey;

  /** The e-mail addresses subscribed to the topic. */
  public readonly emails: string[];

  /** The chat webhook, if any. */
  public readonly chatWebhook?: ChatWebhook;

  /** The page alarm descriptions link to. */
  public readonly runbookBaseUrl: string;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.emails = [...(props.emails ?? [])];
    checkEmails('notifications.emails', this.emails);
    this.runbookBaseUrl = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
    if (!Token.isUnresolved(this.runbookBaseUrl) && !/^https?:\/\/[^\s#]+$/.test(this.runbookBaseUrl)) {
      throw new Error(`'notifications.runbookBaseUrl' must be an http(s) URL without a fragment, got '${this.runbookBaseUrl}'`);
    }
    this.chatWebhook = props.chatWebhook;

    if (props.topic) {
      this.topic = props.topic;
    } else {
      const key = new kms.Key(this, 'TopicKey', {
        description: `SNS topic of the alerts of EKS cluster ${props.clusterName}`,
        enableKeyRotation: true,
      });
      // CloudWatch alarms and AWS Budgets publish as services: they need the key to encrypt.
      key.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AlarmsAndBudgetsPublishToTheTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }));
      const { partition, region, account } = Stack.of(this);
      const topic = new sns.Topic(this, 'Topic', {
        displayName: `${props.clusterName} alerts`.slice(0, 100),
        masterKey: key,
        enforceSSL: true,
      });
      topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` } },
      }));
      topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'BudgetsOfThisAccount',
        principals: [new iam.ServicePrincipal('budgets.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:budgets::${account}:*` },
        },
      }));
      this.topic = topic;
      this.topicKey = key;
    }
    for (const email of this.emails) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }
}
