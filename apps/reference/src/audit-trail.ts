/**
 * The account's audit trail. CloudTrail records every API call of an AWS account, in every region,
 * whatever created the resources, so the trail belongs to the account rather than to the network or
 * the cluster: it lives here, in the app, switched on per environment (`auditTrail` in
 * src/environments.ts), not in a library whose every user would get a second trail per stack.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { AuditTrailSettings } from './environment-config';

/** Properties of an {@link AuditTrail}. */
export interface AuditTrailProps extends AuditTrailSettings {
  /** Name of the trail; also names its CloudWatch Logs group `/aws/cloudtrail/<name>`. */
  readonly trailName: string;
}

/**
 * A multi-region CloudTrail trail of the account's management events (read and write, global services
 * included) with log file validation, delivered to
 * - an S3 bucket encrypted with a KMS key of its own (rotating yearly), that blocks public access,
 *   refuses requests without TLS, keeps object versions and expires the files after `retention`,
 *   its own access logged to a second bucket (who read or deleted the audit files), and
 * - a CloudWatch Logs group kept `logRetention`, for searching and metric filters.
 * Everything is retained when the stack is deleted: audit records outlive what they describe.
 */
export class AuditTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.Trail;
  /** The bucket the log files and digest files go to. */
  public readonly bucket: s3.Bucket;
  /** The bucket the server access logs of {@link bucket} go to. */
  public readonly accessLogsBucket: s3.Bucket;
  /** The key CloudTrail encrypts the log files with (SSE-KMS), and the bucket's default key. */
  public readonly key: kms.Key;
  /** The CloudWatch Logs group CloudTrail also delivers the events to. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    // S3 server access logs reach their bucket through its bucket policy (AWS's recommendation), not the
    // LogDelivery ACL: the buckets keep ACLs disabled.
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
    const stack = Stack.of(this);
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: props.trailName });
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const retention = props.retention;

    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the log files of CloudTrail trail ${props.trailName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The statements AWS documents for a trail's key, limited to this trail. Readers decrypt through IAM
    // policies of this account (the key's default statement lets the account grant kms:Decrypt).
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailEncryptsLogFiles',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': stack.formatArn({ service: 'cloudtrail', region: '*', resource: 'trail', resourceName: '*' }) },
      },
    }));
    this.key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailDescribesKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }));

    const lifecycle = (rule: s3.LifecycleRule): s3.LifecycleRule[] => [{
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      expiration: retention,
      ...rule,
    }];
    // No access logs of its own (they would log their own deliveries, without end). cdk-nag's S1 does not
    // ask for them: it passes a bucket that another bucket of the stack logs to.
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers to SSE-S3 buckets only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: lifecycle({ id: 'expire-access-logs' }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // An overwritten or deleted log file can be recovered for 30 days (log file validation tells it happened).
      versioned: true,
      lifecycleRules: lifecycle({ id: 'expire-audit-logs', noncurrentVersionExpiration: Duration.days(30) }),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'audit-trail-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudTrail names the trail it writes for: no other trail (of any account) may write here.
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'OnlyThisTrailWrites',
      effect: iam.Effect.DENY,
      principals: [cloudTrail],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects('*')],
      conditions: { StringNotEquals: { 'aws:SourceArn': trailArn } },
    }));

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/cloudtrail/${props.trailName}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: props.trailName,
      bucket: this.bucket,
      encryptionKey: this.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableFileValidation: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
  }
}
