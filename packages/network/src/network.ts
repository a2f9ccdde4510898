import { Annotations, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BastionOptions, createBastion } from './bastion';
import { endpointId } from './endpoints';
import { addFlowLog, checkFlowLogOptions, FlowLogOptions } from './flow-logs';
import { addNatGatewayAlarms, checkNatGatewayAlarmsOptions, NatGatewayAlarmsOptions } from './nat-alarms';
import { applyPreset, NetworkPreset } from './presets';
import {
  checkClusterName, checkInteger, checkNoNatEndpoints, checkSubnetsFit, checkUniqueEndpoint, checkUniqueEndpoints, MAX_AZS, parseCidr,
} from './validation';

/** Properties of a {@link Network}. */
export interface NetworkProps {
  /**
   * A named scenario that fills every prop you leave unset; explicit props win over it.
   *
   * @default - no preset: the defaults below, which match `NetworkPreset.PRODUCTION`
   */
  readonly preset?: NetworkPreset;

  /**
   * IPv4 address range of the VPC, from /16 to /28. Changing it replaces the VPC and
   * everything in it.
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;

  /**
   * Number of Availability Zones to spread the subnets across, from 1 to 6. EKS needs at
   * least two. An environment-agnostic stack (no `env` account and region) gets at most two
   * AZs whatever this says: set the stack's `env` to use three. Changing it moves the address
   * ranges of the subnets after the first group, which replaces those subnets and their NAT gateways.
   *
   * @default 3
   */
  readonly maxAzs?: number;

  /**
   * Prefix length of each public subnet (load balancers, NAT gateways), from the VPC's
   * prefix length to /28. Changing it replaces the subnets.
   *
   * @default 24
   */
  readonly publicSubnetCidrMask?: number;

  /**
   * Prefix length of each private subnet (nodes and, with the VPC CNI, every pod's IP),
   * from the VPC's prefix length to /28. Changing it replaces the subnets.
   *
   * @default 19
   */
  readonly privateSubnetCidrMask?: number;

  /**
   * Number of NAT gateways, from 0 to `maxAzs`. One per AZ keeps outbound traffic up when an
   * AZ fails; 1 is the cost-saving choice for development. 0 leaves the private subnets
   * without internet access and requires the interface endpoints in `EksEndpoints.WITHOUT_NAT_MINIMUM`.
   *
   * @default - one per AZ
   */
  readonly natGateways?: number;

  /**
   * Name of the EKS cluster that will use these subnets. Tags public subnets
   * `kubernetes.io/role/elb=1`, private subnets `kubernetes.io/role/internal-elb=1`, and both
   * `kubernetes.io/cluster/<name>=shared`, so EKS and the AWS Load Balancer Controller find them.
   *
   * @see https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets
   * @default - no Kubernetes tags
   */
  readonly clusterName?: string;

  /**
   * Where the VPC flow log goes and what it records. Flow logs are always on.
   *
   * @default - all traffic to a new CloudWatch Logs group kept one year
   */
  readonly flowLogs?: FlowLogOptions;

  /**
   * Whether to add the S3 gateway endpoint to the private subnets' route tables: free, and
   * keeps ECR image layers and other S3 traffic off the NAT gateways.
   *
   * @default true
   */
  readonly s3GatewayEndpoint?: boolean;

  /**
   * AWS services to reach through interface VPC endpoints in the private subnets (one
   * network interface per AZ each, billed per hour). See `EksEndpoints` for the ones EKS uses.
   *
   * @default - none
   */
  readonly interfaceEndpoints?: ec2.InterfaceVpcEndpointAwsService[];
}

/**
 * A multi-AZ VPC for Amazon EKS: public subnets for load balancers, private subnets for
 * workloads, NAT gateways, flow logs, the S3 gateway endpoint, optional interface endpoints,
 * a locked-down default security group, and the subnet tags EKS looks for.
 *
 * @example
 * const network = new Network(this, 'Network', { preset: NetworkPreset.DEVELOPMENT, clusterName: 'dev' });
 * const vpc: ec2.IVpc = network.vpc;
 */
export class Network extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.IVpc;

  /**
   * The public subnets, one per AZ: for internet-facing load balancers. They route to the
   * internet gateway but do not give instances public IPv4 addresses on launch.
   */
  public readonly publicSubnets: ec2.SubnetSelection;

  /** The private subnets, one per AZ: for nodes, pods and internal load balancers. */
  public readonly privateSubnets: ec2.SubnetSelection;

  /** The VPC flow log. */
  public readonly flowLog: ec2.IFlowLog;

  /** The CloudWatch Logs group the flow log writes to; undefined with an S3 destination. */
  public readonly flowLogGroup?: logs.ILogGroup;

  /** The S3 gateway endpoint; undefined when `s3GatewayEndpoint` is false. */
  public readonly s3Endpoint?: ec2.IGatewayVpcEndpoint;

  private readonly endpoints = new Map<string, ec2.InterfaceVpcEndpoint>();
  /** Creates the NAT gateways and tells which ones it created (public API of aws-ec2). */
  private readonly natProvider = ec2.NatProvider.gateway();
  private endpointSecurityGroup?: ec2.SecurityGroup;
  /** The VPC range as a literal: rules built from it stay checkable (cdk-nag cannot evaluate a GetAtt). */
  private readonly cidr: string;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    const settings = applyPreset(props);

    // Validate everything before creating any child, so a bad prop never leaves half a VPC.
    const cidr = settings.cidr ?? '10.0.0.0/16';
    const maxAzs = settings.maxAzs ?? 3;
    const publicMask = settings.publicSubnetCidrMask ?? 24;
    const privateMask = settings.privateSubnetCidrMask ?? 19;
    const interfaceEndpoints = settings.interfaceEndpoints ?? [];
    const s3GatewayEndpoint = settings.s3GatewayEndpoint ?? true;
    checkInteger('maxAzs', maxAzs, 1, MAX_AZS);
    checkInteger('natGateways', settings.natGateways, 0, maxAzs, `between 0 and 'maxAzs' (${maxAzs})`);
    // CDK itself needs a literal CIDR to divide into subnets, so there is no token to skip here.
    const { mask } = parseCidr(cidr);
    checkSubnetsFit(cidr, mask, maxAzs, publicMask, privateMask);
    checkClusterName(settings.clusterName);
    checkFlowLogOptions(settings.flowLogs ?? {});
    checkUniqueEndpoints(interfaceEndpoints);
    const natGateways = settings.natGateways;
    if (natGateways === 0) checkNoNatEndpoints(interfaceEndpoints, s3GatewayEndpoint);

    const publicGroup: ec2.SubnetConfiguration = {
      name: 'Public',
      subnetType: ec2.SubnetType.PUBLIC,
      cidrMask: publicMask,
      // Only load balancers and NAT gateways (with their own addresses) belong here: an instance
      // launched here by mistake must not get a public IP.
      mapPublicIpOnLaunch: false,
    };
    const privateGroup: ec2.SubnetConfiguration = {
      name: 'Private',
      // Without NAT the subnets have no default route; CDK calls those isolated.
      subnetType: natGateways === 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
      cidrMask: privateMask,
    };
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs,
      natGateways,
      natGatewayProvider: this.natProvider,
      // CDK allocates addresses in this order; largest first keeps every block aligned without gaps.
      subnetConfiguration: privateMask <= publicMask ? [privateGroup, publicGroup] : [publicGroup, privateGroup],
      restrictDefaultSecurityGroup: true,
    });
    this.vpc = vpc;
    this.cidr = cidr;
    this.publicSubnets = { subnetGroupName: publicGroup.name };
    this.privateSubnets = { subnetGroupName: privateGroup.name };

    if (vpc.availabilityZones.length < maxAzs) {
      Annotations.of(this).addWarningV2('@s3www-eks/network:fewerAzs',
        `'maxAzs' is ${maxAzs} but the VPC spans ${vpc.availabilityZones.length} AZs: an environment-agnostic stack gets at most two; set the stack's env (account and region)`);
    }
    if (maxAzs < 2) {
      Annotations.of(this).addWarningV2('@s3www-eks/network:singleAz', "'maxAzs' is 1: EKS requires subnets in at least two AZs");
    }

    const flowLog = addFlowLog(this, vpc, settings.flowLogs ?? {});
    this.flowLog = flowLog.flowLog;
    this.flowLogGroup = flowLog.logGroup;

    if (s3GatewayEndpoint) {
      this.s3Endpoint = vpc.addGatewayEndpoint('S3Endpoint', {
        service: ec2.GatewayVpcEndpointAwsService.S3,
        subnets: [this.privateSubnets],
      });
    }
    for (const service of interfaceEndpoints) {
      this.addInterfaceEndpoint(service);
    }

    if (settings.clusterName !== undefined) {
      tagForEks(vpc, settings.clusterName);
    }
  }

  /** The interface endpoints added so far, in the order they were added. */
  public get interfaceEndpoints(): ec2.IInterfaceVpcEndpoint[] {
    return [...this.endpoints.values()];
  }

  /**
   * CloudWatch alarms on every NAT gateway, sent to the topic when they fire and when they recover:
   * `NatGatewayPortAllocation` (`ErrorPortAllocation` above 0 in a minute) and `NatGatewayPacketsDropped`
   * (`PacketsDropCount` above `packetDropPercent` of the packets in a minute). Both clear after 5 minutes
   * without a breach. Not allowed without NAT gateways.
   *
   * @param id scope of the alarms
   * @param options the topic, and optionally names, threshold and runbook page
   * @returns the alarms, two per NAT gateway
   */
  public addNatGatewayAlarms(id: string, options: NatGatewayAlarmsOptions): cloudwatch.Alarm[] {
    checkNatGatewayAlarmsOptions(options, this.natProvider.configuredGateways.length);
    return addNatGatewayAlarms(new Construct(this, id), this.natProvider.configuredGateways, options);
  }

  /**
   * Adds a bastion that needs no SSH and no public IP: an instance in a private subnet that people
   * reach only through AWS Systems Manager Session Manager (IMDSv2 only, an encrypted root volume,
   * no key pair, no inbound rule, HTTPS out only). Who may start a session is an IAM decision
   * (`ssm:StartSession` on the instance), and every session is recorded in CloudTrail.
   *
   * Session Manager port forwarding through it reaches private endpoints such as a private-only EKS
   * API: allow the bastion into the cluster's security group on 443 (`connections.allowFrom`), then
   * `aws ssm start-session --target <instanceId> --document-name AWS-StartPortForwardingSessionToRemoteHost
   * --parameters host=<endpoint host>,portNumber=443,localPortNumber=9443` (README, "Bastion").
   * Without NAT gateways, the Session Manager endpoints (`ssm`, `ssmmessages`, `ec2messages`) are
   * added too, unless the network already has them.
   *
   * @example
   * declare const network: Network;
   * const bastion = network.addBastion('Bastion');
   * new CfnOutput(this, 'BastionId', { value: bastion.instanceId });
   *
   * @param id scope of the bastion
   * @param options instance type, image and root volume size
   * @returns the bastion host, whose `connections` open other security groups to it
   */
  public addBastion(id: string, options: BastionOptions = {}): ec2.BastionHostLinux {
    return createBastion(this, id, {
      vpc: this.vpc,
      privateSubnets: this.privateSubnets,
      hasNat: this.natProvider.configuredGateways.length > 0,
      ensureInterfaceEndpoint: (service) => {
        if (!this.endpoints.has(service.shortName)) this.addInterfaceEndpoint(service);
      },
    }, options);
  }

  /**
   * Adds an interface VPC endpoint for an AWS service in every private subnet, with private
   * DNS, reachable on the service's port from inside the VPC only.
   *
   * @param service the AWS service, e.g. `EksEndpoints.ECR_API`
   * @returns the endpoint
   */
  public addInterfaceEndpoint(service: ec2.InterfaceVpcEndpointAwsService): ec2.IInterfaceVpcEndpoint {
    checkUniqueEndpoint(this.endpoints.keys(), service);
    const endpoint = new ec2.InterfaceVpcEndpoint(this, endpointId(service), {
      vpc: this.vpc,
      service,
      subnets: this.privateSubnets,
      privateDnsEnabled: true,
      securityGroups: [this.endpointSecurityGroupFor(service)],
      open: false,
    });
    this.endpoints.set(service.shortName, endpoint);
    return endpoint;
  }

  /** One security group for all interface endpoints: they differ only in port, and most use 443. */
  private endpointSecurityGroupFor(service: ec2.InterfaceVpcEndpointAwsService): ec2.ISecurityGroup {
    if (!this.endpointSecurityGroup) {
      this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'Interface VPC endpoints: the service port from inside the VPC only',
        // Endpoints only answer; they never open connections.
        allowAllOutbound: false,
      });
    }
    const port = ec2.Port.tcp(service.port);
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(this.cidr), port, `${port} from the VPC`);
    return this.endpointSecurityGroup;
  }
}

/** The tags EKS and the AWS Load Balancer Controller use to pick subnets, on the subnets only. */
function tagForEks(vpc: ec2.Vpc, clusterName: string): void {
  const onSubnets = { includeResourceTypes: ['AWS::EC2::Subnet'] };
  for (const subnet of vpc.publicSubnets) {
    Tags.of(subnet).add('kubernetes.io/role/elb', '1', onSubnets);
  }
  for (const subnet of [...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1', onSubnets);
  }
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    Tags.of(subnet).add(`kubernetes.io/cluster/${clusterName}`, 'shared', onSubnets);
  }
}
