/**
 * The CDK app the deploy test hands to the real CDK CLI: two Network stacks covering the two
 * NAT scenarios and both flow-log destinations. Run as `ts-node test/deploy/app.ts`.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { EksEndpoints, Network, NetworkPreset } from '../../src';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

const app = new App({
  // Pinned AZs: no lookup against the emulator, and no cdk.context.json written into the package.
  context: { [`availability-zones:account=${ACCOUNT}:region=${REGION}`]: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
});
const env = { account: ACCOUNT, region: REGION };

// Highly available: three AZs, a NAT gateway in each, subnets tagged for a cluster.
const ha = new Stack(app, 'NetworkHa', { env });
new Network(ha, 'Network', {
  clusterName: 'deploy-test',
  interfaceEndpoints: EksEndpoints.WITHOUT_NAT_MINIMUM,
  flowLogs: { retention: logs.RetentionDays.ONE_MONTH },
});

// Private: no NAT, every EKS interface endpoint, flow logs archived to S3.
const isolated = new Stack(app, 'NetworkPrivate', { env });
const archive = new s3.Bucket(isolated, 'FlowLogArchive', {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  encryption: s3.BucketEncryption.S3_MANAGED,
});
new Network(isolated, 'Network', {
  preset: NetworkPreset.PRIVATE,
  maxAzs: 2,
  cidr: '10.20.0.0/16',
  // No keyPrefix: moto 5.2 reads 'bucket/prefix' from the ARN as the bucket name and fails the flow log.
  flowLogs: { bucket: archive },
});

app.synth();
