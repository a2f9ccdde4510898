import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { checkRetention } from './validation';

/**
 * Where and what the VPC flow log records. Flow logs are always on: they are the only record
 * of which addresses talked to which inside the VPC (cdk-nag AwsSolutions-VPC7).
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
 */
export interface FlowLogOptions {
  /**
   * Which traffic to record: accepted, rejected or both.
   *
   * @default ec2.FlowLogTrafficType.ALL
   */
  readonly trafficType?: ec2.FlowLogTrafficType;

  /**
   * How long CloudWatch Logs keeps the records. Only for the CloudWatch Logs destination:
   * with `bucket`, the bucket's lifecycle rules decide.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;

  /**
   * Send the records to this S3 bucket instead of a CloudWatch Logs group: cheaper to keep
   * for long, queried with Athena. The bucket policy must let `delivery.logs.amazonaws.com`
   * write: CDK adds those statements to a bucket of the same app when the feature flag
   * `@aws-cdk/aws-s3:createDefaultLoggingPolicy` is on (as in new CDK projects); otherwise add
   * them yourself. Changing the destination replaces the flow log.
   *
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
   *
   * @default - a CloudWatch Logs group created by the construct, retained on stack deletion
   */
  readonly bucket?: s3.IBucket;

  /**
   * Key prefix for the records in `bucket`. Only with `bucket`.
   *
   * @default - records start at the bucket root (`AWSLogs/...`)
   */
  readonly keyPrefix?: string;
}

/** What the flow log writes to. */
export interface FlowLogTarget {
  readonly flowLog: ec2.FlowLog;
  readonly logGroup?: logs.LogGroup;
}

/** Records the VPC's traffic to the destination the options choose. */
export function addFlowLog(scope: Construct, vpc: ec2.IVpc, options: FlowLogOptions): FlowLogTarget {
  const trafficType = options.trafficType ?? ec2.FlowLogTrafficType.ALL;
  const resourceType = ec2.FlowLogResourceType.fromVpc(vpc);
  if (options.bucket) {
    const destination = ec2.FlowLogDestination.toS3(options.bucket, options.keyPrefix);
    return { flowLog: new ec2.FlowLog(scope, 'FlowLog', { resourceType, trafficType, destination }) };
  }
  const logGroup = new logs.LogGroup(scope, 'FlowLogGroup', { retention: options.retention ?? logs.RetentionDays.ONE_YEAR });
  const destination = ec2.FlowLogDestination.toCloudWatchLogs(logGroup);
  return { logGroup, flowLog: new ec2.FlowLog(scope, 'FlowLog', { resourceType, trafficType, destination }) };
}

/** Throws on options that contradict the destination they choose. */
export function checkFlowLogOptions(options: FlowLogOptions): void {
  checkRetention(options.retention);
  if (options.bucket && options.retention !== undefined) {
    throw new Error("'flowLogs.retention' applies to the CloudWatch Logs destination only; remove it or remove 'flowLogs.bucket' (use the bucket's lifecycle rules)");
  }
  if (!options.bucket && options.keyPrefix !== undefined) {
    throw new Error("'flowLogs.keyPrefix' applies to the S3 destination only; set 'flowLogs.bucket' or remove it");
  }
}
