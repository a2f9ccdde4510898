import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgeManagedPolicies } from './nag';
import { podIdentityRole } from './pod-identity';
import { checkLogRetention } from './validation';

/** Name of the EKS add-on that ships container logs (Fluent Bit) and Container Insights metrics to CloudWatch. */
export const CLOUDWATCH_OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';

/** Options of container logs in CloudWatch Logs through the Amazon CloudWatch Observability add-on. */
export interface ContainerLogsOptions {
  /**
   * Version of the `amazon-cloudwatch-observability` add-on. Changing it updates the add-on in place.
   * Check the versions for your cluster with
   * `aws eks describe-addon-versions --addon-name amazon-cloudwatch-observability`.
   * @default 'v6.7.0-eksbuild.1'
   */
  readonly addonVersion?: string;

  /**
   * How long CloudWatch keeps the container logs and Container Insights data; only the values
   * CloudWatch Logs accepts.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;
}

/** The log groups the add-on writes to; created first so their retention applies. */
export const CONTAINER_LOG_GROUPS = ['application', 'dataplane', 'host', 'performance'];

/** What {@link addContainerLogs} creates. */
export interface ContainerLogs {
  readonly addon: eks.CfnAddon;
  readonly logGroups: logs.LogGroup[];
}

/**
 * Installs the CloudWatch Observability add-on with its IAM role through Pod Identity and creates the
 * `/aws/containerinsights/<cluster>/*` log groups beforehand, so the retention is ours rather than "never expire".
 */
export function addContainerLogs(scope: Construct, cluster: eks.ICluster, clusterName: string, options: ContainerLogsOptions): ContainerLogs {
  const retention = options.retention ?? logs.RetentionDays.ONE_MONTH;
  checkLogRetention('containerLogs.retention', retention);
  const logGroups = CONTAINER_LOG_GROUPS.map((name) => new logs.LogGroup(scope, `ContainerLogs${name[0].toUpperCase()}${name.slice(1)}`, {
    logGroupName: `/aws/containerinsights/${clusterName}/${name}`,
    retention,
  }));
  const role = podIdentityRole(scope, 'CloudWatchObservabilityRole', 'amazon-cloudwatch/cloudwatch-agent');
  role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy'));
  acknowledgeManagedPolicies(role, 'CloudWatchAgentServerPolicy is the policy AWS documents and maintains for the CloudWatch agent and Fluent Bit of this add-on');
  const addon = new eks.CfnAddon(scope, 'CloudWatchObservability', {
    clusterName: cluster.clusterName,
    addonName: CLOUDWATCH_OBSERVABILITY_ADDON,
    addonVersion: options.addonVersion ?? 'v6.7.0-eksbuild.1',
    resolveConflicts: 'OVERWRITE',
    // The agent and Fluent Bit both run as this service account.
    podIdentityAssociations: [{ serviceAccount: 'cloudwatch-agent', roleArn: role.roleArn }],
    configurationValues: JSON.stringify({ containerLogs: { enabled: true } }),
  });
  addon.node.addDependency(...logGroups);
  return { addon, logGroups };
}
