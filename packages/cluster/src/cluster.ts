import { Annotations, CfnResource, Duration, Names, Tags, Token } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cdk8s from 'cdk8s';
import { Construct, DependencyGroup } from 'constructs';
import { NamespaceAccess, namespaceAccessPolicy, namespaceAccessPolicyName, NamespaceAccessOptions } from './access';
import { addManagedAddons, AddonVersions, ManagedAddons, resolveAddonVersions } from './addons';
import { addClusterAlarms, LoadBalancerAlarms, LoadBalancerAlarmsOptions } from './alarms';
import { CHAT_WEBHOOK_KEY, CHAT_WEBHOOK_SECRET } from './alertmanager';
import { BackupOptions, VolumeBackup } from './backup';
import { addBudget, BudgetOptions } from './budget';
import { AutoModeNodePool, Capacity, CapacityMode, NodeGroupOptions } from './capacity';
import { ClusterAutoscaler } from './cluster-autoscaler';
import { addContainerLogs, CLOUDWATCH_OBSERVABILITY_ADDON, ContainerLogsOptions } from './container-logs';
import { CostTags, costTagMap } from './cost-tags';
import { ExternalSecretsOperator, SyncSecretOptions } from './external-secrets';
import { acknowledgeKubectlProvider, kubectlProviderOptions } from './kubectl';
import { DEFAULT_VERSION, validateVersion } from './kubernetes-version';
import { AlbController, autoModeIngressClass } from './load-balancing';
import { GrafanaAdminCredentials, Monitoring, MonitoringOptions } from './monitoring';
import { acknowledge, acknowledgeManagedPolicies, acknowledgeWildcards } from './nag';
import { addManagedNodeGroup } from './node-group';
import { DEFAULT_RUNBOOK_BASE_URL, NotificationOptions, Notifications } from './notifications';
import { PodIdentity, PodIdentityOptions } from './pod-identity';
import { defaultStorageClass } from './storage-class';
import { checkDnsLabel, checkDnsSubdomain, checkLogRetention, checkRoleArn } from './validation';

/** Properties of a {@link Cluster}. */
export interface ClusterProps {
  /** The VPC of the cluster. Changing it replaces the cluster. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets for the control plane's network interfaces and the node groups. Changing them replaces the cluster.
   * @default - the VPC's private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Kubernetes version; 1.35 and 1.36 are supported. Raising it upgrades the cluster in place.
   * @default eks.KubernetesVersion.V1_36
   */
  readonly version?: eks.KubernetesVersion;

  /**
   * Name of the cluster. Changing it replaces the cluster.
   * @default - derived from the construct path, stable across deploys
   */
  readonly clusterName?: string;

  /**
   * Where the worker nodes come from.
   * @default Capacity.nodeGroups({ name: 'default' }) - two to four m6i.large on-demand nodes
   */
  readonly capacity?: Capacity;

  /**
   * Who can reach the Kubernetes API endpoint: `eks.EndpointAccess.PRIVATE`, or
   * `eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24')` to allow-list CIDRs.
   * @default eks.EndpointAccess.PUBLIC_AND_PRIVATE
   */
  readonly endpointAccess?: eks.EndpointAccess;

  /**
   * Control plane log types sent to CloudWatch Logs; an empty list turns logging off.
   * @default - all five: api, audit, authenticator, controllerManager, scheduler
   */
  readonly logTypes?: eks.ClusterLoggingTypes[];

  /**
   * How long CloudWatch keeps the control plane logs.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * KMS key for envelope encryption of Kubernetes Secrets. Can only be set when the cluster is created.
   * @default - a new key with yearly rotation
   */
  readonly secretsEncryptionKey?: kms.IKey;

  /**
   * IAM roles that get cluster-admin through EKS access entries. Nobody else does: the identity that
   * deploys the stack gets no implicit admin access. Narrower access: `grantNamespaceAccess`.
   * @default - no admins
   */
  readonly admins?: iam.IRole[];

  /**
   * Versions of the managed add-ons.
   * @default - the versions pinned by this release (see AddonVersions)
   */
  readonly addonVersions?: AddonVersions;

  /**
   * AWS Load Balancer Controller version (node group clusters; Auto Mode has load balancing built in).
   * @default eks.AlbControllerVersion.V3_2_2
   */
  readonly albControllerVersion?: eks.AlbControllerVersion;

  /**
   * Helm chart version of the Cluster Autoscaler (node group clusters only).
   * @default '9.53.0'
   */
  readonly clusterAutoscalerChartVersion?: string;

  /**
   * Helm chart version of External Secrets Operator, installed with the first `syncSecret`.
   * @default '2.7.0'
   */
  readonly externalSecretsChartVersion?: string;

  /**
   * Whether the cluster is kubectl-enabled: aws-eks-v2's kubectl provider (a Lambda function running
   * `kubectl` and `helm`, cluster-admin through its own access entry) is created with the cluster and
   * installs the Kubernetes-side components: the encrypted `gp3` default StorageClass, and with node
   * groups the AWS Load Balancer Controller and the Cluster Autoscaler, or in Auto Mode the `alb`
   * IngressClass.
   *
   * `false` is the lean mode, for clusters whose Kubernetes content comes from other tools (GitOps,
   * `kubectl`): no Lambda function, no custom resource, and none of those components, so install a
   * StorageClass, a load balancer controller (node groups) and an autoscaler (node groups) yourself.
   * `addChart`, `addManifest`, `addHelmChart`, `syncSecret`, `getIngressLoadBalancerAddress` and
   * `getServiceLoadBalancerAddress` then throw, and `monitoring`, `albControllerVersion`,
   * `clusterAutoscalerChartVersion` and `externalSecretsChartVersion` are rejected. Turning it off on
   * a running cluster uninstalls the components and deletes the content added through this construct.
   * @default true
   */
  readonly kubectlEnabled?: boolean;

  /**
   * Container logs (and Container Insights metrics) in CloudWatch Logs through the
   * `amazon-cloudwatch-observability` managed add-on, with its IAM role through Pod Identity.
   * Native CloudFormation: no kubectl Lambda.
   * @default - off
   */
  readonly containerLogs?: ContainerLogsOptions;

  /**
   * The in-cluster monitoring stack: kube-prometheus-stack (Prometheus, Alertmanager, Grafana) and the
   * Prometheus blackbox exporter, in the `monitoring` namespace. Needs `kubectlEnabled`.
   * @default - off
   */
  readonly monitoring?: MonitoringOptions;

  /**
   * Daily AWS Backup snapshots of the EBS volumes the gp3 StorageClass creates (selected by a tag the
   * StorageClass puts on each volume). Volumes created before the tag was set are not selected.
   * @default - off
   */
  readonly backup?: BackupOptions;

  /**
   * A monthly AWS Budgets cost budget, alerting the notification topic (with `notifications`) and its own
   * e-mail addresses.
   * @default - off
   */
  readonly budget?: BudgetOptions;

  /**
   * Who is told when something goes wrong: an SNS topic (created encrypted, or given), e-mail
   * subscriptions to it and a chat webhook from Secrets Manager. With it, Alertmanager (of `monitoring`)
   * routes critical alerts to the topic and the chat and warnings to the chat (or the topic), CloudWatch
   * alarms watch the control plane, the nodes (with `containerLogs`) and the backup jobs (with `backup`),
   * and the budget notifies the topic.
   * @default - off: Alertmanager has no receiver, there are no CloudWatch alarms
   */
  readonly notifications?: NotificationOptions;

  /**
   * Cost allocation tags (`project`, `environment`, `cost-center`) on every AWS resource of this construct
   * and on every EBS volume the gp3 StorageClass creates.
   * @default - no cost tags (tags you add with `Tags.of()` still reach the AWS resources, not the volumes)
   */
  readonly costTags?: CostTags;
}

/**
 * An Amazon EKS cluster on aws-eks-v2 (native `AWS::EKS::Cluster`) with what a production cluster needs:
 * managed node groups or Auto Mode, autoscaling, pinned managed add-ons, load balancing, an encrypted gp3
 * default StorageClass, control plane logging, secrets encryption and access entries. Everything is
 * installed by the constructor; `kubectlEnabled: false` leaves out what needs the kubectl Lambda.
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * const cluster = new Cluster(this, 'Cluster', { vpc });
 */
export class Cluster extends Construct implements ec2.IConnectable {
  /**
   * The underlying aws-eks-v2 cluster. It is kubectl-enabled (has the kubectl provider) unless
   * `kubectlEnabled` is `false`.
   */
  public readonly eksCluster: eks.Cluster;

  /** The VPC the cluster runs in. */
  public readonly vpc: ec2.IVpc;

  /**
   * The security groups of the API endpoint's network interfaces (the cluster security group EKS creates,
   * and the control plane's own), with port 443 as the default: `cluster.connections.allowFrom(bastion,
   * ec2.Port.tcp(443))` lets a bastion reach a private endpoint. aws-eks-v2's `connections`.
   */
  public readonly connections: ec2.Connections;

  /** The Kubernetes version. */
  public readonly version: eks.KubernetesVersion;

  /** The name of the cluster. */
  public readonly clusterName: string;

  /** The capacity mode. */
  public readonly capacityMode: CapacityMode;

  /** The key encrypting Kubernetes Secrets. */
  public readonly secretsEncryptionKey: kms.IKey;

  /** The control plane log group, unless logging is off. */
  public readonly logGroup?: logs.ILogGroup;

  /** The IAM role of the control plane. */
  public readonly role: iam.IRole;

  /** The managed add-ons by EKS add-on name. */
  public readonly addons: Record<string, eks.CfnAddon>;

  /** The container log groups (`/aws/containerinsights/<clusterName>/*`), when `containerLogs` is on. */
  public readonly containerLogGroups?: logs.ILogGroup[];

  /** The monitoring stack, when `monitoring` is on. */
  public readonly monitoring?: Monitoring;

  /** The AWS Backup vault, plan and selection, when `backup` is on. */
  public readonly backup?: VolumeBackup;

  /** The cost budget, when `budget` is on. */
  public readonly budget?: budgets.CfnBudget;

  /** The notification topic, e-mails and chat webhook, when `notifications` is on. */
  public readonly notifications?: Notifications;

  /** The CloudWatch alarms of the cluster (control plane, nodes, backup jobs), when `notifications` is on. */
  public readonly alarms: cloudwatch.Alarm[];

  /** Tags the gp3 StorageClass puts on every EBS volume it creates (backup tag and cost tags). */
  public readonly volumeTags: Record<string, string>;

  /** Whether the cluster has the kubectl provider (`kubectlEnabled`). */
  public readonly kubectlEnabled: boolean;

  /** The AWS Load Balancer Controller Helm release (kubectl-enabled node group clusters). */
  public readonly albController?: eks.HelmChart;

  /** The Cluster Autoscaler Helm release (kubectl-enabled node group clusters). */
  public readonly clusterAutoscaler?: eks.HelmChart;

  /** The default StorageClass (and in Auto Mode the `alb` IngressClass), when kubectl-enabled. */
  public readonly platformManifest?: eks.KubernetesManifest;

  private readonly nodeSubnets: ec2.SubnetSelection;
  private readonly managedAddons: ManagedAddons;
  private readonly nodeGroupList: eks.Nodegroup[] = [];
  private readonly nodeGroupNames = new Set<string>();
  /** The access entry of each principal ARN given access through this construct, and what it holds. */
  private readonly access = new Map<string, { entry: eks.AccessEntry; admin: boolean; namespaced: Set<NamespaceAccess> }>();
  /** Everything Kubernetes content waits for: kubectl access, nodes and add-ons. */
  private readonly ready = new DependencyGroup();
  /** The components content waits for (and outlives), so e.g. load balancers are deleted before their controller. */
  private readonly components = new DependencyGroup();
  /** The components the monitoring stack needs too (StorageClass, load balancer controller webhooks, autoscaler). */
  private readonly platform = new DependencyGroup();
  /** The content added through this construct so far, in order. */
  private readonly contentList: Construct[] = [];
  /** Every load balancer address lookup; the load balancer alarms wait for them. */
  private readonly addressLookups = new DependencyGroup();
  private readonly addressValues = new Map<string, string>();
  private readonly props: ClusterProps;
  /** Scopes for what users add, so their ids never collide with this construct's own children. */
  private readonly content: Construct;
  private readonly podIdentities: Construct;
  private externalSecrets?: ExternalSecretsOperator;
  private loadBalancerAlarms?: Construct;
  private addresses?: Construct;

  constructor(scope: Construct, id: string, props: ClusterProps) {
    super(scope, id);
    this.props = props;
    this.vpc = props.vpc;
    this.version = props.version ?? DEFAULT_VERSION;
    validateVersion(this.version);
    const capacity = props.capacity ?? Capacity.nodeGroups({ name: 'default' });
    this.capacityMode = capacity.mode;
    const autoMode = capacity.mode === CapacityMode.AUTO_MODE;
    if (capacity.mode === CapacityMode.NODE_GROUPS && capacity.groups.length === 0) {
      throw new Error("'capacity' must list at least one node group in Capacity.nodeGroups(...), got none; use Capacity.autoMode() for node-less capacity");
    }
    this.clusterName = props.clusterName ?? Names.uniqueResourceName(this, { maxLength: 100, separator: '-' });
    if (!Token.isUnresolved(this.clusterName) && !/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(this.clusterName)) {
      throw new Error(`'clusterName' must be 1-100 letters, digits, '-' or '_' starting with a letter or digit, got '${this.clusterName}'`);
    }
    this.nodeSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.kubectlEnabled = props.kubectlEnabled ?? true;
    if (!this.kubectlEnabled) {
      const needsKubectl = (['monitoring', 'albControllerVersion', 'clusterAutoscalerChartVersion', 'externalSecretsChartVersion'] as const)
        .filter((prop) => props[prop] !== undefined);
      if (needsKubectl.length > 0) {
        throw new Error(`${needsKubectl.map((p) => `'${p}'`).join(', ')} ${needsKubectl.length > 1 ? 'need' : 'needs'} the kubectl Lambda, which 'kubectlEnabled: false' leaves out: remove ${needsKubectl.length > 1 ? 'them' : 'it'}, or 'kubectlEnabled: false'`);
      }
    }

    this.secretsEncryptionKey = props.secretsEncryptionKey ?? new kms.Key(this, 'SecretsKey', {
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${this.clusterName}`,
      enableKeyRotation: true,
    });
    const role = new iam.Role(this, 'ClusterRole', {
      assumedBy: new iam.ServicePrincipal('eks.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSClusterPolicy')],
    });
    this.secretsEncryptionKey.grant(role, 'kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey', 'kms:CreateGrant');
    this.role = role;

    const logTypes = props.logTypes ?? Object.values(eks.ClusterLoggingTypes);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    checkLogRetention('logRetention', logRetention);
    if (logTypes.length > 0) {
      // EKS writes to this group name; creating it first is the only way to set a retention.
      this.logGroup = new logs.LogGroup(this, 'ControlPlaneLogs', {
        logGroupName: `/aws/eks/${this.clusterName}/cluster`,
        retention: logRetention,
      });
    }
    const costTags = props.costTags ? costTagMap(props.costTags) : {};
    for (const [key, value] of Object.entries(costTags)) Tags.of(this).add(key, value);
    if (props.backup) {
      this.backup = new VolumeBackup(this, 'Backup', { ...props.backup, clusterName: this.clusterName });
    }
    this.volumeTags = { ...(this.backup ? { [this.backup.tagKey]: this.backup.tagValue } : {}), ...costTags };
    if (props.notifications) {
      this.notifications = new Notifications(this, 'Notifications', { ...props.notifications, clusterName: this.clusterName });
      if (props.notifications.chatWebhook && !props.monitoring) {
        Annotations.of(this).addWarningV2('@s3www-eks/cluster:chatWebhookUnused',
          "'notifications.chatWebhook' is used by Alertmanager only, which 'monitoring' installs: set 'monitoring' too, or leave the webhook out");
      }
    }
    if (props.budget) {
      this.budget = addBudget(this, 'Budget', props.budget, this.notifications?.topic);
    }
    if (!this.kubectlEnabled && (props.backup || props.costTags)) {
      Annotations.of(this).addWarningV2('@s3www-eks/cluster:volumeTagsWithoutStorageClass',
        "'backup' and 'costTags' reach EBS volumes through the tags of the gp3 StorageClass, which 'kubectlEnabled: false' does not install: "
        + "give your own StorageClass a 'tagSpecification_<n>: <key>=<value>' parameter for each of 'volumeTags', or no volume is backed up or tagged");
    }
    const nodePools = capacity.autoModeOptions?.nodePools ?? [AutoModeNodePool.SYSTEM, AutoModeNodePool.GENERAL_PURPOSE];

    this.eksCluster = new eks.Cluster(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets: [this.nodeSubnets],
      version: this.version,
      clusterName: this.clusterName,
      role,
      endpointAccess: props.endpointAccess ?? eks.EndpointAccess.PUBLIC_AND_PRIVATE,
      secretsEncryptionKey: this.secretsEncryptionKey,
      clusterLogging: logTypes.length > 0 ? logTypes : undefined,
      // Admin access only for the principals named in `admins`, never implicitly for the deployer.
      bootstrapClusterCreatorAdminPermissions: false,
      // The managed add-ons below replace the self-managed bootstrap ones.
      bootstrapSelfManagedAddons: false,
      ...(autoMode
        ? {
          defaultCapacityType: eks.DefaultCapacityType.AUTOMODE,
          compute: { nodePools, nodeRole: nodePools.length > 0 ? this.autoModeNodeRole() : undefined },
        }
        : { defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, defaultCapacity: 0 }),
      // The kubectl provider is created with the cluster, so the components below are there without content.
      kubectlProviderOptions: this.kubectlEnabled ? kubectlProviderOptions(this) : undefined,
    });
    this.connections = this.eksCluster.connections;
    acknowledgeManagedPolicies(role, 'EKS requires AmazonEKSClusterPolicy (plus the Auto Mode compute, storage, load balancing and networking policies) on the cluster role; AWS keeps them in step with EKS');
    if (this.eksCluster.kubectlProvider) acknowledgeKubectlProvider(this.eksCluster.kubectlProvider);
    const cfnCluster = this.eksCluster.node.defaultChild as CfnResource;
    // The role must hold its KMS grant before EKS validates the key, and the log group must exist first.
    cfnCluster.node.addDependency(role);
    if (this.logGroup) cfnCluster.node.addDependency(this.logGroup);

    this.managedAddons = addManagedAddons(this, this.eksCluster, resolveAddonVersions(this.version.version, props.addonVersions), autoMode);
    if (props.containerLogs) {
      const containerLogs = addContainerLogs(this, this.eksCluster, this.clusterName, props.containerLogs);
      this.managedAddons.all[CLOUDWATCH_OBSERVABILITY_ADDON] = containerLogs.addon;
      // Its agent and Fluent Bit run on the nodes and take their credentials from the Pod Identity Agent.
      this.managedAddons.afterNodes.push(containerLogs.addon);
      containerLogs.addon.node.addDependency(...this.managedAddons.beforeNodes);
      this.containerLogGroups = containerLogs.logGroups;
    }
    this.addons = this.managedAddons.all;
    this.ready.add(...Object.values(this.addons));
    this.alarms = this.notifications ? addClusterAlarms(new Construct(this, 'Alarms'), {
      clusterName: this.clusterName,
      topic: this.notifications.topic,
      runbookBaseUrl: this.notifications.runbookBaseUrl,
      containerInsights: props.containerLogs !== undefined,
      backup: this.backup,
    }) : [];

    this.content = new Construct(this, 'Content');
    this.podIdentities = new Construct(this, 'PodIdentities');
    for (const admin of props.admins ?? []) {
      this.addAdmin(Names.nodeUniqueId(admin.node), admin);
    }
    for (const group of capacity.groups) {
      this.addNodeGroup(group);
    }
    this.components.add(this.platform);
    if (this.kubectlEnabled) {
      const platform = this.installPlatform(autoMode);
      this.platformManifest = platform.manifest;
      this.albController = platform.albController;
      this.clusterAutoscaler = platform.clusterAutoscaler;
    }
    if (props.monitoring) {
      this.monitoring = this.installMonitoring(props.monitoring);
    }
  }

  /** The managed node groups. */
  public get nodeGroups(): eks.Nodegroup[] {
    return [...this.nodeGroupList];
  }

  /** aws-eks-v2's kubectl provider of the cluster (undefined with `kubectlEnabled: false`). */
  public get kubectlProvider(): eks.IKubectlProvider | undefined {
    return this.eksCluster.kubectlProvider;
  }

  /**
   * Adds a managed node group in the cluster's private subnets. Not allowed in Auto Mode.
   */
  public addNodeGroup(options: NodeGroupOptions): eks.Nodegroup {
    if (this.capacityMode === CapacityMode.AUTO_MODE) {
      throw new Error(`'addNodeGroup' is not allowed with Capacity.autoMode(): Auto Mode provisions nodes itself, got node group '${options.name}'; use Capacity.nodeGroups(...) instead`);
    }
    if (this.nodeGroupNames.has(options.name)) {
      throw new Error(`'name' of each node group must be unique, got '${options.name}' twice`);
    }
    this.nodeGroupNames.add(options.name);
    const nodeGroup = addManagedNodeGroup(this.eksCluster, options, this.nodeSubnets, this.version.version);
    // Nodes join only with networking in place; DNS, metrics and storage pods need nodes to run on.
    nodeGroup.node.addDependency(...this.managedAddons.beforeNodes);
    for (const addon of this.managedAddons.afterNodes) addon.node.addDependency(nodeGroup);
    acknowledgeManagedPolicies(nodeGroup.role, 'EKS managed node groups need the worker node, VPC CNI and ECR read-only AWS managed policies that AWS keeps in step with EKS');
    this.nodeGroupList.push(nodeGroup);
    this.ready.add(nodeGroup);
    return nodeGroup;
  }

  /** Gives an IAM role cluster-admin through an access entry (`AmazonEKSClusterAdminPolicy`, cluster scope). */
  public addAdmin(id: string, role: iam.IRole): eks.AccessEntry {
    checkRoleArn('admins', role.roleArn);
    const existing = this.access.get(role.roleArn);
    if (existing?.admin) {
      throw new Error(`'admins' must name each role once (EKS allows one access entry per principal), got ${role.roleArn} twice`);
    }
    if (existing) {
      throw new Error(`'admins' must not name ${role.roleArn}, which 'grantNamespaceAccess' already gave ${[...existing.namespaced].map((a) => namespaceAccessPolicyName(a)).join(' and ')} `
        + '(EKS allows one access entry per principal, and cluster-admin includes it): remove the namespaced grant');
    }
    // Prefixed so an id never collides with the aws-eks-v2 cluster's own children.
    const entry = this.eksCluster.grantClusterAdmin(`Admin${id}`, role.roleArn);
    this.access.set(role.roleArn, { entry, admin: true, namespaced: new Set() });
    return entry;
  }

  /**
   * Gives an IAM role view or edit access to named namespaces only, through an EKS access entry with a
   * namespace-scoped access policy: `AmazonEKSViewPolicy` (`NamespaceAccess.VIEW`) or `AmazonEKSEditPolicy`
   * (`NamespaceAccess.EDIT`), which EKS authorizes like the Kubernetes `view` and `edit` ClusterRoles bound
   * in those namespaces. The role gets nothing outside them, not even the list of namespaces.
   *
   * One access entry per role, as EKS requires: a role may get both levels on different namespaces (one
   * call each), but each level once, and not if it is one of `admins`.
   *
   * @example
   * declare const cluster: Cluster;
   * declare const support: iam.IRole;
   * cluster.grantNamespaceAccess('Support', support, { namespaces: ['web'], access: NamespaceAccess.VIEW });
   *
   * @param id scope of the access entry (the first grant to a role creates it)
   * @param role the IAM role people assume (its ARN, not an assumed-role session ARN)
   * @param options the namespaces and the access level
   * @returns the role's access entry
   */
  public grantNamespaceAccess(id: string, role: iam.IRole, options: NamespaceAccessOptions): eks.AccessEntry {
    checkRoleArn('role', role.roleArn);
    const policy = namespaceAccessPolicy(options);
    const access = options.access ?? NamespaceAccess.VIEW;
    const existing = this.access.get(role.roleArn);
    if (existing?.admin) {
      throw new Error(`'role' of 'grantNamespaceAccess' must not be one of 'admins', got ${role.roleArn}: cluster-admin already includes ${namespaceAccessPolicyName(access)} in every namespace`);
    }
    if (existing?.namespaced.has(access)) {
      throw new Error(`'grantNamespaceAccess' must give each role NamespaceAccess.${access} once (EKS associates each access policy once per access entry), `
        + `got ${role.roleArn} twice: list all its namespaces in one call`);
    }
    // Prefixed so an id never collides with the aws-eks-v2 cluster's own children. aws-eks-v2 adds the
    // policy to the role's entry when it has one, and creates the entry under this id otherwise.
    const entryId = `NamespaceAccess${id}`;
    this.eksCluster.grantAccess(entryId, role.roleArn, [policy]);
    if (existing) {
      existing.namespaced.add(access);
      return existing.entry;
    }
    const entry = this.eksCluster.node.findChild(entryId);
    if (!(entry instanceof eks.AccessEntry)) throw new Error(`aws-eks-v2 created no access entry '${entryId}' for ${role.roleArn}`);
    this.access.set(role.roleArn, { entry, admin: false, namespaced: new Set([access]) });
    return entry;
  }

  /**
   * Creates an IAM role that the pods of one service account assume through EKS Pod Identity.
   * Grant it what the workload needs, e.g. `bucket.grantRead(identity)`.
   */
  public addPodIdentity(id: string, options: PodIdentityOptions): PodIdentity {
    return new PodIdentity(this.podIdentities, id, { ...options, cluster: this.eksCluster });
  }

  /**
   * CloudWatch alarms on an Application Load Balancer that the AWS Load Balancer Controller created for
   * an Ingress named with the `alb.ingress.kubernetes.io/load-balancer-name` annotation: its 5xx share,
   * unhealthy targets and no healthy target, sent to the notification topic. The ARNs are read at deploy
   * time, after every load balancer address looked up through this cluster
   * (`getIngressLoadBalancerAddress`, `getServiceLoadBalancerAddress`): look up the Ingress' address so
   * that its load balancer exists by then.
   */
  public addLoadBalancerAlarms(id: string, options: LoadBalancerAlarmsOptions): LoadBalancerAlarms {
    const topic = options.topic ?? this.notifications?.topic;
    if (!topic) {
      throw new Error("'addLoadBalancerAlarms' needs a topic to send the alarms to: set the cluster's 'notifications', or the option 'topic'");
    }
    if (!this.loadBalancerAlarms) this.loadBalancerAlarms = new Construct(this, 'LoadBalancerAlarms');
    const alarms = new LoadBalancerAlarms(this.loadBalancerAlarms, id, {
      ...options,
      topic,
      namePrefix: this.clusterName,
      runbookBaseUrl: this.notifications?.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL,
    });
    alarms.node.addDependency(this.addressLookups);
    return alarms;
  }

  /** Applies a cdk8s chart to the cluster. */
  public addChart(id: string, chart: cdk8s.Chart): eks.KubernetesManifest {
    this.requireKubectl('addChart');
    return this.addManifest(id, ...chart.toJson());
  }

  /** Applies Kubernetes objects to the cluster. */
  public addManifest(id: string, ...manifest: Record<string, unknown>[]): eks.KubernetesManifest {
    this.requireKubectl('addManifest');
    return this.asContent(new eks.KubernetesManifest(this.content, id, { cluster: this.eksCluster, manifest }));
  }

  /** Installs a Helm chart on the cluster. Pin `version`. */
  public addHelmChart(id: string, options: eks.HelmChartOptions): eks.HelmChart {
    this.requireKubectl('addHelmChart');
    return this.asContent(new eks.HelmChart(this.content, id, { ...options, cluster: this.eksCluster }));
  }

  /**
   * Copies a Secrets Manager secret into a Kubernetes Secret through External Secrets Operator
   * (installed once, with the first call). Only the secret's ARN appears in the template and manifest.
   */
  public syncSecret(id: string, options: SyncSecretOptions): eks.KubernetesManifest {
    this.requireKubectl('syncSecret');
    return this.asContent(this.externalSecretsOperator().sync(this.content, id, options));
  }

  /**
   * The host name of the load balancer of an Ingress (`.status.loadBalancer.ingress[0].hostname`), read
   * at deploy time, as aws-eks-v2's cluster method of the same name reads it. The lookup waits for the
   * content added through this construct before this call (so add the chart with the Ingress first), then
   * until the load balancer controller has written the address, at most `timeout`. Looking up the same
   * Ingress again returns the same value.
   *
   * @param ingressName The name of the Ingress.
   * @param options Namespace (default `default`) and timeout (default 5 minutes, at most 14).
   */
  public getIngressLoadBalancerAddress(ingressName: string, options: eks.IngressLoadBalancerAddressOptions = {}): string {
    return this.loadBalancerAddress('getIngressLoadBalancerAddress', 'ingress', ingressName, options);
  }

  /**
   * The host name of the load balancer of a Service of type `LoadBalancer`
   * (`.status.loadBalancer.ingress[0].hostname`), read at deploy time like
   * {@link getIngressLoadBalancerAddress}.
   *
   * @param serviceName The name of the Service.
   * @param options Namespace (default `default`) and timeout (default 5 minutes, at most 14).
   */
  public getServiceLoadBalancerAddress(serviceName: string, options: eks.ServiceLoadBalancerAddressOptions = {}): string {
    return this.loadBalancerAddress('getServiceLoadBalancerAddress', 'service', serviceName, options);
  }

  private loadBalancerAddress(method: string, objectType: 'ingress' | 'service', name: string, options: eks.ServiceLoadBalancerAddressOptions): string {
    this.requireKubectl(method);
    const nameProp = objectType === 'ingress' ? 'ingressName' : 'serviceName';
    const namespace = options.namespace ?? 'default';
    for (const [prop, value] of [[nameProp, name], ['namespace', namespace]]) {
      if (Token.isUnresolved(value)) {
        throw new Error(`'${prop}' of '${method}' must be a literal name, got a token: the name identifies the lookup in the template`);
      }
    }
    checkDnsSubdomain(nameProp, name);
    checkDnsLabel('namespace', namespace);
    const timeout = options.timeout ?? Duration.minutes(5);
    if (!timeout.isUnresolved() && timeout.toSeconds() > Duration.minutes(14).toSeconds()) {
      throw new Error(`'timeout' of '${method}' must be at most 14 minutes (the kubectl handler stops after 15), got ${timeout.toHumanString()}`);
    }
    const key = `${objectType}.${namespace}.${name}`;
    const existing = this.addressValues.get(key);
    if (existing !== undefined) return existing;
    if (!this.addresses) this.addresses = new Construct(this, 'LoadBalancerAddresses');
    const lookup = new eks.KubernetesObjectValue(this.addresses, key, {
      cluster: this.eksCluster,
      objectType,
      objectName: name,
      objectNamespace: namespace,
      jsonPath: '.status.loadBalancer.ingress[0].hostname',
      timeout,
    });
    // Content added later may use the address, so only what exists now is waited for.
    lookup.node.addDependency(this.ready, this.components, ...this.contentList);
    this.addressLookups.add(lookup);
    this.addressValues.set(key, lookup.value);
    return lookup.value;
  }

  /** Throws naming the method when the cluster has no kubectl provider. */
  private requireKubectl(method: string): void {
    if (!this.kubectlEnabled) {
      throw new Error(`'${method}' needs the kubectl Lambda, which 'kubectlEnabled: false' leaves out: `
        + "apply Kubernetes content with your own tools (GitOps, kubectl), or remove 'kubectlEnabled: false'");
    }
  }

  /** External Secrets Operator, installed once. */
  private externalSecretsOperator(): ExternalSecretsOperator {
    if (!this.externalSecrets) {
      this.externalSecrets = new ExternalSecretsOperator(this, 'ExternalSecrets', {
        cluster: this.eksCluster,
        chartVersion: this.props.externalSecretsChartVersion ?? '2.7.0',
      });
      this.externalSecrets.node.addDependency(this.ready);
    }
    return this.externalSecrets;
  }

  /**
   * Installs the monitoring stack after the platform components and before any content, so charts
   * with ServiceMonitors, Probes or PrometheusRules find the Prometheus Operator CRDs.
   */
  private installMonitoring(options: MonitoringOptions): Monitoring {
    let grafanaAdmin = options.grafanaAdmin;
    if (!grafanaAdmin) {
      const secret = new secretsmanager.Secret(this, 'GrafanaAdmin', {
        description: `Grafana admin of EKS cluster ${this.clusterName}`,
        generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'admin' }), generateStringKey: 'password', excludePunctuation: true, passwordLength: 32 },
      });
      acknowledge(secret, 'Grafana reads its admin password from the synced Kubernetes Secret when its pod starts; rotating means changing the value and restarting Grafana, which no rotation Lambda can do', 'AwsSolutions-SMG4');
      grafanaAdmin = GrafanaAdminCredentials.fromSecretsManager(secret);
    }
    const notifications = this.notifications;
    const monitoring = new Monitoring(this, 'Monitoring', { cluster: this.eksCluster, grafanaAdmin, options, notifications });
    if (notifications) {
      // Alertmanager publishes to the topic with its own Pod Identity role, present when its pods start.
      const identity = new PodIdentity(monitoring, 'AlertmanagerIdentity', {
        cluster: this.eksCluster,
        namespace: Monitoring.NAMESPACE,
        serviceAccount: Monitoring.ALERTMANAGER_SERVICE_ACCOUNT,
      });
      notifications.topic.grantPublish(identity);
      acknowledgeWildcards(identity.role, 'Publishing to a KMS-encrypted SNS topic needs kms:GenerateDataKey* (the data key variants) on the topic key, the only key the statement names');
      monitoring.prometheusStack.node.addDependency(identity);
      const webhook = notifications.chatWebhook;
      if (webhook) {
        const sync = this.externalSecretsOperator().sync(monitoring, 'ChatWebhookSync', {
          secret: webhook.secret,
          namespace: Monitoring.NAMESPACE,
          name: CHAT_WEBHOOK_SECRET,
          ...(webhook.urlField ? { keys: { [CHAT_WEBHOOK_KEY]: webhook.urlField } } : { wholeValueKey: CHAT_WEBHOOK_KEY }),
        });
        sync.node.addDependency(monitoring.namespace);
        // Alertmanager's pods mount the Secret; they wait for it, the release does not.
        monitoring.prometheusStack.node.addDependency(sync);
      }
    }
    const source = grafanaAdmin.secretsManagerSecret;
    if (source) {
      const sync = this.externalSecretsOperator().sync(monitoring, 'GrafanaAdminSync', {
        secret: source,
        namespace: Monitoring.NAMESPACE,
        name: grafanaAdmin.secretName,
        keys: { [grafanaAdmin.userKey]: grafanaAdmin.usernameField!, [grafanaAdmin.passwordKey]: grafanaAdmin.passwordField! },
      });
      sync.node.addDependency(monitoring.namespace);
      // Grafana cannot start without the Secret, and the release waits for Grafana.
      monitoring.prometheusStack.node.addDependency(sync);
    }
    monitoring.node.addDependency(this.ready, this.platform);
    this.components.add(monitoring);
    return monitoring;
  }

  private asContent<T extends Construct>(resource: T): T {
    resource.node.addDependency(this.ready, this.components);
    this.contentList.push(resource);
    return resource;
  }

  /**
   * The role of the Auto Mode nodes, with the two AWS managed policies EKS documents for it.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-create-node-role.html
   */
  private autoModeNodeRole(): iam.Role {
    const role = new iam.Role(this, 'AutoModeNodeRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEKSWorkerNodeMinimalPolicy'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonEC2ContainerRegistryPullOnly'),
      ],
    });
    acknowledgeManagedPolicies(role, 'EKS Auto Mode nodes need AmazonEKSWorkerNodeMinimalPolicy and AmazonEC2ContainerRegistryPullOnly, the AWS managed policies EKS documents for their role');
    return role;
  }

  /**
   * Installs the Kubernetes-side components through the kubectl provider: the default StorageClass (and
   * Auto Mode's IngressClass), and with node groups the load balancer controller and the autoscaler.
   */
  private installPlatform(autoMode: boolean): { manifest: eks.KubernetesManifest; albController?: eks.HelmChart; clusterAutoscaler?: eks.HelmChart } {
    const manifest = new eks.KubernetesManifest(this, 'Platform', {
      cluster: this.eksCluster,
      manifest: [defaultStorageClass(autoMode, this.volumeTags), ...(autoMode ? autoModeIngressClass() : [])],
    });
    manifest.node.addDependency(this.ready);
    this.platform.add(manifest);
    if (autoMode) return { manifest };
    const alb = new AlbController(this, 'AlbController', {
      cluster: this.eksCluster,
      vpc: this.vpc,
      version: this.props.albControllerVersion ?? eks.AlbControllerVersion.V3_2_2,
    });
    const autoscaler = new ClusterAutoscaler(this, 'ClusterAutoscaler', {
      cluster: this.eksCluster,
      clusterName: this.clusterName,
      kubernetesVersion: this.version.version,
      chartVersion: this.props.clusterAutoscalerChartVersion ?? '9.53.0',
    });
    alb.node.addDependency(this.ready);
    autoscaler.node.addDependency(this.ready);
    this.platform.add(alb.chart, autoscaler.chart);
    return { manifest, albController: alb.chart, clusterAutoscaler: autoscaler.chart };
  }
}
