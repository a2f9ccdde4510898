/**
 * The prod environment of the reference system built from plain aws-cdk-lib (`aws-eks-v2`) with
 * the same add-ons as @s3www-eks/cluster, for the benchmark's comparison: the same VPC shape, the
 * same managed add-ons and versions, the AWS Load Balancer Controller, Cluster Autoscaler and
 * External Secrets Operator charts, the gp3 StorageClass, the same credentials secrets and the
 * very same workload chart. Each piece is written the way the aws-eks-v2 documentation shows it.
 */
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { resolveAddonVersions } from '@s3www-eks/cluster';
import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { EnvironmentConfig } from '../src/environment-config';
import { CREDENTIAL_SECRETS, MINIO_USERS, WorkloadChart } from '../src/workload-chart';

/** The add-on versions @s3www-eks/cluster pins for Kubernetes 1.36 (only the version table is borrowed). */
const PINNED = resolveAddonVersions('1.36');
const ADDONS: Record<string, string> = {
  'vpc-cni': PINNED.vpcCni,
  'kube-proxy': PINNED.kubeProxy,
  'eks-pod-identity-agent': PINNED.podIdentityAgent,
  'coredns': PINNED.coreDns,
  'metrics-server': PINNED.metricsServer,
  'aws-ebs-csi-driver': PINNED.ebsCsiDriver,
};
/** The Helm chart versions @s3www-eks/cluster installs by default. */
const CLUSTER_AUTOSCALER_CHART = '9.53.0';
const EXTERNAL_SECRETS_CHART = '2.7.0';

export interface PlainStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The site's certificate, as the reference stack takes it from `-c certificateArn`. */
  readonly certificateArn?: string;
}

export class PlainEksV2Stack extends Stack {
  constructor(scope: Construct, id: string, props: PlainStackProps) {
    super(scope, id, props);
    const { config } = props;

    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(config.network.cidr),
      maxAzs: config.network.maxAzs,
      natGateways: config.network.natGateways,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 19 },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      restrictDefaultSecurityGroup: true,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'FlowLogs', { retention: config.network.flowLogs.retention })),
    });

    const cluster = new eks.Cluster(this, 'Cluster', {
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      clusterName: config.clusterName,
      version: eks.KubernetesVersion.V1_36,
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer') },
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      secretsEncryptionKey: new kms.Key(this, 'SecretsKey', { enableKeyRotation: true }),
      clusterLogging: [
        eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
      ],
      albController: { version: eks.AlbControllerVersion.V3_2_2 },
    });
    cluster.addNodegroupCapacity('General', {
      instanceTypes: config.cluster.nodes.instanceTypes,
      minSize: config.cluster.nodes.minSize,
      desiredSize: config.cluster.nodes.desiredSize,
      maxSize: config.cluster.nodes.maxSize,
      diskSize: config.cluster.nodes.diskSize,
    });

    for (const [name, version] of Object.entries(ADDONS)) {
      const addon = new eks.Addon(this, `Addon-${name}`, {
        cluster,
        addonName: name,
        addonVersion: version,
        configurationValues: name === 'vpc-cni' ? { enableNetworkPolicy: 'true' } : undefined,
      });
      if (name === 'aws-ebs-csi-driver') {
        const role = podIdentity(this, cluster, 'EbsCsi', 'kube-system', 'ebs-csi-controller-sa');
        role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEBSCSIDriverPolicy'));
        addon.node.addDependency(role);
      }
    }

    cluster.addManifest('Gp3', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      parameters: { type: 'gp3', encrypted: 'true' },
    });

    // The charts create their ServiceAccounts; EKS Pod Identity associates each with its role.
    const autoscaler = podIdentity(this, cluster, 'ClusterAutoscaler', 'kube-system', 'cluster-autoscaler');
    autoscaler.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['autoscaling:Describe*', 'autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup',
        'ec2:Describe*', 'eks:DescribeNodegroup'],
      resources: ['*'],
    }));
    cluster.addHelmChart('ClusterAutoscalerChart', {
      repository: 'https://kubernetes.github.io/autoscaler',
      chart: 'cluster-autoscaler',
      version: CLUSTER_AUTOSCALER_CHART,
      namespace: 'kube-system',
      values: { autoDiscovery: { clusterName: config.clusterName }, rbac: { serviceAccount: { name: 'cluster-autoscaler' } } },
    }).node.addDependency(autoscaler);

    const identities = (['root', 'site', 'seeder'] as const).map((identity) => ({
      name: CREDENTIAL_SECRETS[identity],
      secret: new secretsmanager.Secret(this, `MinioCredentials-${identity}`, {
        generateSecretString: {
          secretStringTemplate: JSON.stringify({ username: MINIO_USERS[identity] }), generateStringKey: 'password', excludePunctuation: true, passwordLength: 40,
        },
      }),
    }));
    const eso = podIdentity(this, cluster, 'ExternalSecrets', 'external-secrets', 'external-secrets');
    identities.forEach(({ secret }) => secret.grantRead(eso));
    const esoChart = cluster.addHelmChart('ExternalSecretsChart', {
      repository: 'https://charts.external-secrets.io',
      chart: 'external-secrets',
      version: EXTERNAL_SECRETS_CHART,
      namespace: 'external-secrets',
      createNamespace: true,
      values: { serviceAccount: { name: 'external-secrets' } },
    });
    esoChart.node.addDependency(eso);

    const workload = cluster.addCdk8sChart('Workload', new WorkloadChart(new cdk8s.App(), 'workload', {
      config, credentialSecrets: CREDENTIAL_SECRETS, tls: props.certificateArn ? { certificateArn: props.certificateArn } : undefined,
    }));
    const sync = cluster.addManifest('MinioCredentialsSync', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'aws', namespace: config.namespace },
      spec: { provider: { aws: { service: 'SecretsManager', region: this.region } } },
    }, ...identities.map(({ name, secret }) => ({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name, namespace: config.namespace },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { name: 'aws', kind: 'SecretStore' },
        target: { name },
        dataFrom: [{ extract: { key: secret.secretArn } }],
      },
    })));
    sync.node.addDependency(workload, esoChart);

    new eks.KubernetesObjectValue(this, 'SiteHost', {
      cluster,
      objectType: 'ingress',
      objectName: 's3www',
      objectNamespace: config.namespace,
      jsonPath: '.status.loadBalancer.ingress[0].hostname',
      timeout: Duration.minutes(10),
    }).node.addDependency(workload);
  }
}

/** An IAM role the pods of one ServiceAccount assume through EKS Pod Identity. */
function podIdentity(scope: Construct, cluster: eks.ICluster, id: string, namespace: string, serviceAccount: string): iam.Role {
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
  });
  new eks.CfnPodIdentityAssociation(scope, `${id}Identity`, {
    clusterName: cluster.clusterName, namespace, serviceAccount, roleArn: role.roleArn,
  });
  return role;
}
