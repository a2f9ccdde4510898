import { Annotations, Aws, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { checkTagKey, checkTagValue } from './cost-tags';
import { acknowledgeManagedPolicies } from './nag';

/** Options of the AWS Backup plan for the EBS volumes of the cluster's gp3 StorageClass. */
export interface BackupOptions {
  /**
   * When backups start (UTC unless the schedule says otherwise). AWS Backup runs at most once an hour.
   * @default events.Schedule.cron({ hour: '3', minute: '0' }) - daily at 03:00 UTC
   */
  readonly schedule?: events.Schedule;

  /**
   * How long each recovery point is kept: whole days, 1 to 36500.
   * @default Duration.days(35)
   */
  readonly retention?: Duration;

  /**
   * Key of the tag that marks the volumes to back up; the gp3 StorageClass puts it on every volume it creates.
   * @default 'backup'
   */
  readonly tagKey?: string;

  /**
   * Value of that tag.
   * @default - the cluster name
   */
  readonly tagValue?: string;

  /**
   * KMS key of the backup vault. EBS snapshots keep the key of their volume; this key encrypts the vault's
   * recovery points of fully managed resource types. Changing it replaces the vault.
   * @default - a new key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * A vault that every recovery point is copied to after its backup job completes, for disaster recovery:
   * in another region (its key must be in that region too), e.g. `BackupVault.fromBackupVaultArn()` of a
   * vault a stack in that region creates. The copy is kept for `copyRetention`.
   * @default - no copy
   */
  readonly copyTo?: backup.IBackupVault;

  /**
   * How long each copy is kept in the `copyTo` vault: whole days, 1 to 36500.
   * @default - the `retention`
   */
  readonly copyRetention?: Duration;
}

/** Properties of {@link VolumeBackup}. */
export interface VolumeBackupProps extends BackupOptions {
  /** Name of the cluster whose volumes are backed up; the default tag value. */
  readonly clusterName: string;
}

/**
 * An AWS Backup vault (KMS-encrypted, retained when the stack is deleted), a plan and a selection of the EBS
 * volumes that carry the backup tag. Only volumes are selected, even if other resources carry the tag.
 */
export class VolumeBackup extends Construct {
  /** The backup vault. */
  public readonly vault: backup.BackupVault;

  /** The backup plan. */
  public readonly plan: backup.BackupPlan;

  /** The selection of tagged EBS volumes. */
  public readonly selection: backup.CfnBackupSelection;

  /** Key of the tag that selects volumes. */
  public readonly tagKey: string;

  /** Value of the tag that selects volumes. */
  public readonly tagValue: string;

  /** How long recovery points are kept. */
  public readonly retention: Duration;

  /** The vault recovery points are copied to, if any. */
  public readonly copyTo?: backup.IBackupVault;

  /** How long copies are kept in `copyTo`, if there is a copy. */
  public readonly copyRetention?: Duration;

  constructor(scope: Construct, id: string, props: VolumeBackupProps) {
    super(scope, id);
    this.tagKey = props.tagKey ?? 'backup';
    checkTagKey('backup.tagKey', this.tagKey);
    this.tagValue = props.tagValue ?? props.clusterName;
    checkTagValue('backup.tagValue', this.tagValue);
    this.retention = props.retention ?? Duration.days(35);
    checkRetentionDays('backup.retention', this.retention);
    if (props.copyRetention && !props.copyTo) {
      throw new Error("'backup.copyRetention' needs 'backup.copyTo': it is how long the copies in that vault are kept; set both or neither");
    }
    this.copyTo = props.copyTo;
    if (props.copyTo) {
      this.copyRetention = props.copyRetention ?? this.retention;
      checkRetentionDays('backup.copyRetention', this.copyRetention);
      const here = Stack.of(this).region;
      const there = props.copyTo.env.region;
      if (!Token.isUnresolved(here) && !Token.isUnresolved(there) && here === there) {
        Annotations.of(this).addWarningV2('@s3www-eks/cluster:backupCopySameRegion',
          `'backup.copyTo' is a vault in ${here}, the stack's own region: the copies do not survive the loss of the region; use a vault in another region`);
      }
    }

    const encryptionKey = props.encryptionKey ?? new kms.Key(this, 'VaultKey', {
      description: 'AWS Backup vault of the EKS cluster volumes',
      enableKeyRotation: true,
    });
    this.vault = new backup.BackupVault(this, 'Vault', { encryptionKey, removalPolicy: RemovalPolicy.RETAIN });
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [new backup.BackupPlanRule({
        ruleName: 'Volumes',
        scheduleExpression: props.schedule ?? events.Schedule.cron({ hour: '3', minute: '0' }),
        startWindow: Duration.hours(1),
        completionWindow: Duration.hours(8),
        deleteAfter: this.retention,
        copyActions: props.copyTo ? [{ destinationBackupVault: props.copyTo, deleteAfter: this.copyRetention }] : undefined,
      })],
    });

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores'),
      ],
    });
    acknowledgeManagedPolicies(role, 'The AWS Backup service role policies for backup and restore are the ones AWS documents and keeps current for every resource type');
    this.selection = new backup.CfnBackupSelection(this, 'Selection', {
      backupPlanId: this.plan.backupPlanId,
      backupSelection: {
        selectionName: 'tagged-ebs-volumes',
        iamRoleArn: role.roleArn,
        // Resources and Conditions combine with AND: EBS volumes that carry the tag, nothing else.
        resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:volume/*`],
        conditions: { StringEquals: [{ ConditionKey: `aws:ResourceTag/${this.tagKey}`, ConditionValue: this.tagValue }] },
      },
    });
  }
}

/** Throws unless the duration is a whole number of days that AWS Backup accepts as a lifecycle. */
function checkRetentionDays(prop: string, retention: Duration): void {
  const days = retention.toSeconds({ integral: false }) / 86400;
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new Error(`'${prop}' must be a whole number of days between 1 and 36500, got ${retention.toHumanString()}`);
  }
}
