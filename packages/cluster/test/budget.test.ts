import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BudgetOptions, Cluster } from '../src';
import { clusterStack, providerFootprint, vpcStack } from './fixtures';

describe('budget', () => {
  test('alerts every address at 80% and 100% of the monthly limit by default', () => {
    // GIVEN / WHEN: a lean cluster, since a budget is native CloudFormation and needs no kubectl Lambda
    const { stack, cluster } = clusterStack({ budget: { monthlyLimitUsd: 500, emails: ['ops@example.com', 'lead@example.com'] }, kubectlEnabled: false });

    // THEN
    const template = Template.fromStack(stack);
    const subscribers = [{ SubscriptionType: 'EMAIL', Address: 'ops@example.com' }, { SubscriptionType: 'EMAIL', Address: 'lead@example.com' }];
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: { BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: { Amount: 500, Unit: 'USD' } },
      NotificationsWithSubscribers: [80, 100].map((Threshold) => ({
        Notification: { NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold, ThresholdType: 'PERCENTAGE' },
        Subscribers: subscribers,
      })),
    });
    expect(cluster.budget).toBeDefined();
    expect(providerFootprint(template)).toEqual({ lambdas: 0, customResources: 0 });
  });

  test('takes thresholds and a name', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ budget: { monthlyLimitUsd: 50.5, emails: ['dev@example.org'], thresholds: [50, 150], budgetName: 'web-dev' } });

    // THEN
    const [budget] = Object.values(Template.fromStack(stack).findResources('AWS::Budgets::Budget'));
    expect(budget.Properties.Budget.BudgetName).toBe('web-dev');
    expect(budget.Properties.Budget.BudgetLimit.Amount).toBe(50.5);
    expect(budget.Properties.NotificationsWithSubscribers.map((n: any) => n.Notification.Threshold)).toEqual([50, 150]);
  });

  test('with notifications, alerts the topic too, once its policy lets AWS Budgets publish', () => {
    // GIVEN / WHEN
    const { stack } = clusterStack({ notifications: {}, budget: { monthlyLimitUsd: 700, emails: ['finance@example.com'] } });

    // THEN
    const template = Template.fromStack(stack);
    const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
    const [policy] = Object.keys(template.findResources('AWS::SNS::TopicPolicy'));
    const [budget] = Object.values(template.findResources('AWS::Budgets::Budget'));
    expect(budget.Properties.NotificationsWithSubscribers.map((n: any) => n.Subscribers)).toEqual([80, 100].map(() => [
      { SubscriptionType: 'SNS', Address: { Ref: topic } },
      { SubscriptionType: 'EMAIL', Address: 'finance@example.com' },
    ]));
    expect(budget.DependsOn).toEqual(expect.arrayContaining([topic, policy]));
  });

  test('without an e-mail it notifies the topic alone', () => {
    const { stack } = clusterStack({ notifications: {}, budget: { monthlyLimitUsd: 250 } });
    const [budget] = Object.values(Template.fromStack(stack).findResources('AWS::Budgets::Budget'));
    expect(budget.Properties.NotificationsWithSubscribers.map((n: any) => n.Subscribers.map((s: any) => s.SubscriptionType))).toEqual([['SNS'], ['SNS']]);
  });

  test('a topic of its own wins over the notification topic', () => {
    const { stack, vpc } = vpcStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Finance', 'arn:aws:sns:us-east-1:123456789012:finance');
    new Cluster(stack, 'Cluster', { vpc, notifications: {}, budget: { monthlyLimitUsd: 250, topic } });
    const [budget] = Object.values(Template.fromStack(stack).findResources('AWS::Budgets::Budget'));
    expect(budget.Properties.NotificationsWithSubscribers[0].Subscribers).toEqual([{ SubscriptionType: 'SNS', Address: 'arn:aws:sns:us-east-1:123456789012:finance' }]);
  });

  test('is off by default', () => {
    const { stack, cluster } = clusterStack();
    Template.fromStack(stack).resourceCountIs('AWS::Budgets::Budget', 0);
    expect(cluster.budget).toBeUndefined();
  });
});

describe('validation', () => {
  const base: BudgetOptions = { monthlyLimitUsd: 100, emails: ['ops@example.com'] };
  const cases: Array<[string, Partial<BudgetOptions>, string]> = [
    ['a threshold of 0', { thresholds: [0, 100] }, "'budget.thresholds' must be percentages between 1 and 1000, got 0"],
    ['a threshold above 1000', { thresholds: [1001] }, "'budget.thresholds' must be percentages between 1 and 1000, got 1001"],
    ['no threshold', { thresholds: [] }, "'budget.thresholds' must list 1 to 5 percentages (AWS Budgets allows 5 notifications per budget), got 0"],
    ['six thresholds', { thresholds: [10, 20, 30, 40, 50, 60] }, "'budget.thresholds' must list 1 to 5 percentages (AWS Budgets allows 5 notifications per budget), got 6"],
    ['a repeated threshold', { thresholds: [80, 80] }, "'budget.thresholds' must not repeat a percentage, got 80, 80"],
    ['an invalid e-mail', { emails: ['ops@example.com', 'ops@'] }, "'budget.emails' must contain only e-mail addresses (name@domain.tld), got 'ops@'"],
    ['an e-mail with a space', { emails: ['ops team@example.com'] }, "'budget.emails' must contain only e-mail addresses (name@domain.tld), got 'ops team@example.com'"],
    ['a repeated e-mail', { emails: ['ops@example.com', 'ops@example.com'] }, "'budget.emails' must name each address once, got 'ops@example.com' twice"],
    ['no e-mail and no topic', { emails: [] },
      "'budget' must notify someone: give 'budget.emails' or 'budget.topic', or set the cluster's 'notifications' (its topic is then used), got none"],
    ['eleven e-mails', { emails: Array.from({ length: 11 }, (_, i) => `ops${i}@example.com`) }, "'budget.emails' must list at most 10 e-mail addresses, got 11"],
    ['a zero limit', { monthlyLimitUsd: 0 }, "'budget.monthlyLimitUsd' must be a positive amount in USD, got 0"],
    ['a negative limit', { monthlyLimitUsd: -5 }, "'budget.monthlyLimitUsd' must be a positive amount in USD, got -5"],
  ];

  test.each(cases)('rejects %s', (_, override, message) => {
    expect(() => clusterStack({ budget: { ...base, ...override } })).toThrow(message);
  });

  test.each([1, 1000])('accepts a threshold of %s', (threshold) => {
    expect(() => clusterStack({ budget: { ...base, thresholds: [threshold] } })).not.toThrow();
  });
});
