import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { Capacity } from '../src';
import { clusterStack, manifests, providerFootprint, vpcStack } from './fixtures';

describe('backup', () => {
  let template: Template;
  let clusterName: string;
  beforeAll(() => {
    const { stack, cluster } = clusterStack({ backup: {} });
    clusterName = cluster.clusterName;
    template = Template.fromStack(stack);
  });

  test('creates a vault encrypted with a new rotating key, retained on stack deletion', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key', { Properties: { Description: Match.stringLikeRegexp('Backup') } }));
    template.hasResource('AWS::Backup::BackupVault', {
      Properties: { EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', { Description: Match.stringLikeRegexp('Backup'), EnableKeyRotation: true });
  });

  test('backs up daily at 03:00 UTC and keeps recovery points 35 days', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [Match.objectLike({
          RuleName: 'Volumes',
          ScheduleExpression: 'cron(0 3 * * ? *)',
          StartWindowMinutes: 60,
          CompletionWindowMinutes: 480,
          Lifecycle: { DeleteAfterDays: 35 },
          CopyActions: Match.absent(),
        })],
      },
    });
  });

  test('selects only EBS volumes tagged backup=<clusterName>, with a role AWS Backup assumes', () => {
    template.hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: {
        SelectionName: 'tagged-ebs-volumes',
        Resources: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':volume/*']] }],
        Conditions: { StringEquals: [{ ConditionKey: 'aws:ResourceTag/backup', ConditionValue: clusterName }] },
        ListOfTags: Match.absent(),
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'backup.amazonaws.com' } })] },
      ManagedPolicyArns: [
        Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup'])] }),
        Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores'])] }),
      ],
    });
  });

  test('the gp3 StorageClass tags every volume it creates with the same tag', () => {
    const [sc] = manifests(template).filter((m) => m.kind === 'StorageClass');
    expect(sc.parameters).toEqual({ type: 'gp3', encrypted: 'true', tagSpecification_1: `backup=${clusterName}` });
  });

  test('with cost tags, on Auto Mode: backup tag first, then the cost tags', () => {
    // GIVEN / WHEN
    const { stack, cluster } = clusterStack({
      capacity: Capacity.autoMode(),
      backup: { tagKey: 'backup-plan', tagValue: 'daily' },
      costTags: { project: 's3www', environment: 'staging', costCenter: 'cc-1' },
    });

    // THEN
    const [sc] = manifests(Template.fromStack(stack)).filter((m) => m.kind === 'StorageClass');
    expect(sc.provisioner).toBe('ebs.csi.eks.amazonaws.com');
    expect(sc.parameters).toEqual({
      type: 'gp3',
      encrypted: 'true',
      tagSpecification_1: 'backup-plan=daily',
      tagSpecification_2: 'project=s3www',
      tagSpecification_3: 'environment=staging',
      tagSpecification_4: 'cost-center=cc-1',
    });
    expect(cluster.volumeTags).toEqual({ 'backup-plan': 'daily', 'project': 's3www', 'environment': 'staging', 'cost-center': 'cc-1' });
  });

  test('schedule, retention and a copy to another vault are configurable; a given key is used', () => {
    // GIVEN
    const { stack, cluster } = clusterStack({
      backup: {
        schedule: events.Schedule.cron({ hour: '*/6', minute: '30' }),
        retention: Duration.days(7),
      },
    });
    const copyTo = backup.BackupVault.fromBackupVaultArn(stack, 'Dr', 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr');

    // WHEN
    const { stack: withCopy } = clusterStack({ backup: { retention: Duration.days(90), copyTo } }, stack.node.root as any, 'WithCopy');

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ ScheduleExpression: 'cron(30 */6 * * ? *)', Lifecycle: { DeleteAfterDays: 7 } })] },
    });
    Template.fromStack(withCopy).hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [Match.objectLike({
          Lifecycle: { DeleteAfterDays: 90 },
          CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr', Lifecycle: { DeleteAfterDays: 90 } }],
        })],
      },
    });
    expect(cluster.backup!.retention.toDays()).toBe(7);
  });

  test('copies are kept for a retention of their own', () => {
    // GIVEN
    const { stack } = vpcStack();
    const copyTo = backup.BackupVault.fromBackupVaultArn(stack, 'Dr', 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr');

    // WHEN
    const { stack: withCopy, cluster } = clusterStack({ backup: { retention: Duration.days(35), copyTo, copyRetention: Duration.days(14) } }, stack.node.root as any, 'OwnRetention');

    // THEN
    Template.fromStack(withCopy).hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [Match.objectLike({
          Lifecycle: { DeleteAfterDays: 35 },
          CopyActions: [{ DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr', Lifecycle: { DeleteAfterDays: 14 } }],
        })],
      },
    });
    expect(cluster.backup!.copyRetention!.toDays()).toBe(14);
    expect(cluster.backup!.copyTo).toBe(copyTo);
    Annotations.fromStack(withCopy).hasNoWarning('*', Match.stringLikeRegexp('backupCopySameRegion'));
  });

  test('a copy in the stack\'s own region is a warning: it does not survive the loss of the region', () => {
    const { stack } = vpcStack();
    const copyTo = backup.BackupVault.fromBackupVaultArn(stack, 'Near', 'arn:aws:backup:us-east-1:123456789012:backup-vault:near');
    const { stack: withCopy } = clusterStack({ backup: { copyTo } }, stack.node.root as any, 'SameRegion');
    Annotations.fromStack(withCopy).hasWarning('*', Match.stringLikeRegexp("'backup.copyTo' is a vault in us-east-1, the stack's own region: the copies do not survive the loss of the region"));
  });

  test('needs no Lambda function and no custom resource: a lean cluster (kubectlEnabled false) has none', () => {
    const { stack } = clusterStack({ backup: {}, kubectlEnabled: false });
    expect(providerFootprint(Template.fromStack(stack))).toEqual({ lambdas: 0, customResources: 0 });
  });

  test('is off by default, and the StorageClass then carries no tags', () => {
    const { stack, cluster } = clusterStack();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Backup::BackupVault', 0);
    t.resourceCountIs('AWS::Backup::BackupPlan', 0);
    expect(cluster.backup).toBeUndefined();
    expect(cluster.volumeTags).toEqual({});
    const [sc] = manifests(t).filter((m) => m.kind === 'StorageClass');
    expect(sc.parameters).toEqual({ type: 'gp3', encrypted: 'true' });
  });
});

describe('validation', () => {
  test.each([
    [Duration.days(0), '0 days'],
    [Duration.days(36501), '36501 days'],
    [Duration.hours(36), '1 day 12 hours'],
  ])('rejects a retention of %s', (retention, human) => {
    expect(() => clusterStack({ backup: { retention } }))
      .toThrow(`'backup.retention' must be a whole number of days between 1 and 36500, got ${human}`);
  });

  test('rejects a copy retention without a copy', () => {
    expect(() => clusterStack({ backup: { copyRetention: Duration.days(7) } }))
      .toThrow("'backup.copyRetention' needs 'backup.copyTo': it is how long the copies in that vault are kept; set both or neither");
  });

  test('rejects a copy retention that is not whole days', () => {
    const { stack } = vpcStack();
    const copyTo = backup.BackupVault.fromBackupVaultArn(stack, 'Dr', 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr');
    expect(() => clusterStack({ backup: { copyTo, copyRetention: Duration.hours(12) } }, stack.node.root as any, 'Half'))
      .toThrow("'backup.copyRetention' must be a whole number of days between 1 and 36500, got 12 hours");
  });

  test('rejects a reserved tag key', () => {
    expect(() => clusterStack({ backup: { tagKey: 'aws:backup' } }))
      .toThrow("'backup.tagKey' must be 1-128 letters, digits, spaces or _ . : / = + - @ not starting with 'aws:' (an AWS tag key), got 'aws:backup'");
  });

  test('rejects an invalid tag value', () => {
    expect(() => clusterStack({ backup: { tagValue: 'daily!' } }))
      .toThrow("'backup.tagValue' must be 1-256 letters, digits, spaces or _ . : / = + - @ (an AWS tag value), got 'daily!'");
  });
});
