/**
 * The account's audit trail in the environments that keep one (staging, prod) and its absence in dev.
 * cfn-lint and cdk-nag check these templates in reference-output.test.ts; that CloudTrail delivers to
 * the bucket and the log group with this key policy, only an AWS account shows.
 */
import { synthesizedOnce } from './support/synthesized';
import { EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';

type Json = Record<string, any>;

const ofType = (template: Json, type: string): Array<[string, Json]> =>
  Object.entries<Json>(template.Resources).filter(([, r]) => r.Type === type);
const one = (template: Json, type: string, prefix: string): [string, Json] => {
  const found = ofType(template, type).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} ${prefix}, got ${found.map(([id]) => id).join(', ')}`);
  return found[0];
};
const ref = (id: string) => ({ Ref: id });
const arn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe.each(Object.values(EnvironmentName))('environment %s', (name) => {
  const settings = ENVIRONMENTS[name].auditTrail;
  const out = synthesizedOnce(name);
  const template = () => out().templates[`${out().stackName}.template.json`];

  if (!settings) {
    test('keeps no trail: the account is the organisation\'s to audit', () => {
      expect(ofType(template(), 'AWS::CloudTrail::Trail')).toEqual([]);
    });
    return;
  }

  const trailName = `s3www-eks-${name}-audit`;
  const days = settings.retention.toDays();

  test('one trail: every region, global services, all management events, validated log files, KMS, CloudWatch Logs', () => {
    const t = template();
    expect(ofType(t, 'AWS::CloudTrail::Trail')).toHaveLength(1);
    const [, trail] = one(t, 'AWS::CloudTrail::Trail', 'AuditTrail');
    const [keyId] = one(t, 'AWS::KMS::Key', 'AuditTrailKey');
    const [bucketId] = one(t, 'AWS::S3::Bucket', 'AuditTrailBucket');
    const [logGroupId] = one(t, 'AWS::Logs::LogGroup', 'AuditTrailLogGroup');
    const [roleId] = one(t, 'AWS::IAM::Role', 'AuditTrailLogsRole');
    expect(trail.Properties).toEqual({
      TrailName: trailName,
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
      KMSKeyId: arn(keyId),
      S3BucketName: ref(bucketId),
      CloudWatchLogsLogGroupArn: arn(logGroupId),
      CloudWatchLogsRoleArn: arn(roleId),
    });
  });

  test(`the bucket: KMS-encrypted, no public access, TLS only, versioned, files kept ${days} days, its access logged`, () => {
    const t = template();
    const [keyId] = one(t, 'AWS::KMS::Key', 'AuditTrailKey');
    const [bucketId, bucket] = one(t, 'AWS::S3::Bucket', 'AuditTrailBucket');
    const [accessLogsId] = one(t, 'AWS::S3::Bucket', 'AuditTrailAccessLogs');
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arn(keyId) } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [{ Id: 'expire-audit-logs', Status: 'Enabled', ExpirationInDays: days, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
      },
      LoggingConfiguration: { DestinationBucketName: ref(accessLogsId), LogFilePrefix: 'audit-trail-bucket/' },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
    const [, policy] = ofType(t, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(bucketId)))!;
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Allow', Action: 's3:GetBucketAcl', Principal: { Service: 'cloudtrail.amazonaws.com' } }),
      expect.objectContaining({
        Effect: 'Allow',
        Action: 's3:PutObject',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    ]));
    const trailArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudtrail:us-east-1:123456789012:trail/${trailName}`]] };
    expect(statements).toContainEqual({
      Sid: 'OnlyThisTrailWrites',
      Effect: 'Deny',
      Action: 's3:PutObject',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Resource: { 'Fn::Join': ['', [arn(bucketId), '/*']] },
      Condition: { StringNotEquals: { 'aws:SourceArn': trailArn } },
    });
    // nobody else is allowed anything by the bucket policy
    expect(statements.filter((s) => s.Effect === 'Allow' && s.Principal?.Service !== 'cloudtrail.amazonaws.com')).toEqual([]);
  });

  test('the access-log bucket: SSE-S3 (what S3 server access logging delivers to), no public access, TLS only, written by S3 logging for the trail bucket only', () => {
    const t = template();
    const [bucketId] = one(t, 'AWS::S3::Bucket', 'AuditTrailBucket');
    const [accessLogsId, accessLogs] = one(t, 'AWS::S3::Bucket', 'AuditTrailAccessLogs');
    expect(accessLogs.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [{ Id: 'expire-access-logs', Status: 'Enabled', ExpirationInDays: days, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }] },
    });
    expect(accessLogs.Properties.AccessControl).toBeUndefined();
    expect(accessLogs.DeletionPolicy).toBe('Retain');
    const [, policy] = ofType(t, 'AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify(ref(accessLogsId)))!;
    const allows = (policy.Properties.PolicyDocument.Statement as Json[]).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([expect.objectContaining({
      Action: 's3:PutObject',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Condition: { ArnLike: { 'aws:SourceArn': arn(bucketId) }, StringEquals: { 'aws:SourceAccount': '123456789012' } },
    })]);
  });

  test('the key rotates, and lets CloudTrail encrypt for this trail only', () => {
    const t = template();
    const [, key] = one(t, 'AWS::KMS::Key', 'AuditTrailKey');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.Description).toBe(`Encrypts the log files of CloudTrail trail ${trailName}`);
    expect(key.DeletionPolicy).toBe('Retain');
    const trailArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudtrail:us-east-1:123456789012:trail/${trailName}`]] };
    const forCloudTrail = (key.Properties.KeyPolicy.Statement as Json[]).filter((s) => s.Principal?.Service === 'cloudtrail.amazonaws.com');
    expect(forCloudTrail).toEqual([
      {
        Sid: 'CloudTrailEncryptsLogFiles',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:123456789012:trail/*']] } },
        },
      },
      {
        Sid: 'CloudTrailDescribesKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
      },
    ]);
  });

  test(`CloudWatch Logs keeps the events ${settings.logRetention} days, written by CloudTrail's own role`, () => {
    const t = template();
    const [logGroupId, logGroup] = one(t, 'AWS::Logs::LogGroup', 'AuditTrailLogGroup');
    expect(logGroup.Properties).toEqual({ LogGroupName: `/aws/cloudtrail/${trailName}`, RetentionInDays: settings.logRetention });
    expect(logGroup.DeletionPolicy).toBe('Retain');
    const [roleId, role] = one(t, 'AWS::IAM::Role', 'AuditTrailLogsRole');
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' } },
    ]);
    const [, policy] = ofType(t, 'AWS::IAM::Policy').find(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([ref(roleId)]))!;
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:CreateLogStream'], Resource: arn(logGroupId) },
    ]);
  });
});
