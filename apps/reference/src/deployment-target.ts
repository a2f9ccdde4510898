import { Environment } from 'aws-cdk-lib';

/**
 * The account and region used when nothing names a real one. `cdk.context.json` holds the
 * Availability Zones of this pair, so a synth without credentials never looks anything up.
 */
export const OFFLINE_TARGET: Required<Environment> = { account: '123456789012', region: 'us-east-1' };

/**
 * The certificate the offline synthesis gives the environments that serve HTTPS only (staging, prod),
 * as `-c certificateArn`: an example ARN of the offline account whose id is all zeros, never a real
 * certificate. A deploy passes its own (`-c certificateArn`, or `-c domainName` with `-c hostedZoneId`).
 */
export const EXAMPLE_CERTIFICATE_ARN = `arn:aws:acm:${OFFLINE_TARGET.region}:${OFFLINE_TARGET.account}:certificate/00000000-0000-0000-0000-000000000000`;

/**
 * Where the stacks deploy: the account and region the CDK CLI found in the caller's credentials
 * (`CDK_DEFAULT_ACCOUNT` / `CDK_DEFAULT_REGION`), or the offline defaults without credentials.
 */
export function deploymentTarget(env: NodeJS.ProcessEnv = process.env): Required<Environment> {
  return {
    account: env.CDK_DEFAULT_ACCOUNT || OFFLINE_TARGET.account,
    region: env.CDK_DEFAULT_REGION || OFFLINE_TARGET.region,
  };
}
