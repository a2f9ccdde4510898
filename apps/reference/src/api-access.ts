/**
 * The way into a private-only Kubernetes API endpoint: the network's Session Manager bastion, let into
 * the endpoint's security groups on 443, an IAM policy that lets a person forward a port through it,
 * and the stack outputs the steps of the README ("kubectl on a private endpoint") name.
 */
import { Cluster } from '@s3www-eks/cluster';
import { Network } from '@s3www-eks/network';
import { CfnOutput, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The Session Manager document that forwards a local port to a host the instance reaches. */
export const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

/** The local port the README's kubeconfig points at. */
export const LOCAL_PORT = 9443;

/** Properties of a {@link PrivateApiAccess}. */
export interface PrivateApiAccessProps {
  /** The network the bastion is added to. */
  readonly network: Network;
  /** The cluster whose private endpoint the bastion reaches. */
  readonly cluster: Cluster;
}

/** A Session Manager bastion in front of a private EKS API endpoint, and what people need to use it. */
export class PrivateApiAccess extends Construct {
  /** The bastion: private subnet, no public IP, no key pair, no inbound rule. */
  public readonly bastion: ec2.BastionHostLinux;
  /** The host name of the API endpoint (without `https://`), as the bastion resolves it inside the VPC. */
  public readonly endpointHost: string;
  /**
   * What a person's IAM role needs besides its access entry: start a port-forwarding session to this
   * bastion (and only with that document), end or resume their own sessions, describe the cluster for
   * `aws eks update-kubeconfig`, and read the stack's outputs.
   */
  public readonly sessionPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: PrivateApiAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { cluster } = props;
    this.bastion = props.network.addBastion('Bastion');
    // The endpoint's network interfaces carry the cluster security group (which the nodes and the kubectl
    // Lambda are in) and the control plane's: the bastion gets in on 443 only.
    cluster.connections.allowFrom(this.bastion, ec2.Port.tcp(443), 'kubectl through the Session Manager bastion');
    // https://<id>.<zone>.<region>.eks.amazonaws.com -> its host name
    this.endpointHost = Fn.select(2, Fn.split('/', cluster.eksCluster.clusterEndpoint));

    const instanceArn = stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: this.bastion.instanceId });
    const documentArn = stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: PORT_FORWARDING_DOCUMENT });
    const ownSessions = stack.formatArn({ service: 'ssm', resource: 'session', resourceName: '${aws:userid}-*' });
    this.sessionPolicy = new iam.ManagedPolicy(this, 'SessionPolicy', {
      description: `kubectl on the private API endpoint of EKS cluster ${cluster.clusterName}: port forwarding through its bastion`,
      statements: [
        new iam.PolicyStatement({
          sid: 'PortForwardThroughTheBastion',
          actions: ['ssm:StartSession'],
          resources: [instanceArn, documentArn],
          // Sessions must name a document the caller is allowed: no plain shell on the bastion.
          conditions: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'OwnSessions',
          actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          resources: [ownSessions],
        }),
        new iam.PolicyStatement({
          sid: 'Kubeconfig',
          actions: ['eks:DescribeCluster'],
          resources: [cluster.eksCluster.clusterArn],
        }),
        new iam.PolicyStatement({
          sid: 'StackOutputs',
          actions: ['cloudformation:DescribeStacks'],
          resources: [stack.stackId],
        }),
      ],
    });
    Validations.of(this.sessionPolicy).acknowledge({
      // cdk-nag writes a policy variable ${...} as <...> in the finding id.
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:${stack.region}:${stack.account}:session/<aws:userid>-*]`,
      reason: 'A session ARN is only known once it starts; ${aws:userid} limits ending and resuming to the caller\'s own sessions, as the Session Manager documentation does',
    });

    new CfnOutput(stack, 'BastionInstanceId', {
      description: 'The Session Manager bastion in front of the private API endpoint: the --target of aws ssm start-session',
      value: this.bastion.instanceId,
    });
    new CfnOutput(stack, 'ApiEndpointHost', {
      description: 'Host name of the private Kubernetes API endpoint: the host of the port forwarding and the tls-server-name of the kubeconfig',
      value: this.endpointHost,
    });
    new CfnOutput(stack, 'ApiAccessPolicyArn', {
      description: 'Managed policy a person\'s IAM role needs to forward a port through the bastion (Kubernetes rights come from the access entries)',
      value: this.sessionPolicy.managedPolicyArn,
    });
    new CfnOutput(stack, 'PortForwardCommand', {
      description: `Forwards localhost:${LOCAL_PORT} to the private API endpoint through the bastion (needs the Session Manager plugin of the AWS CLI)`,
      value: Fn.join('', [
        'aws ssm start-session --region ', stack.region, ' --target ', this.bastion.instanceId,
        ` --document-name ${PORT_FORWARDING_DOCUMENT} --parameters host=`, this.endpointHost, `,portNumber=443,localPortNumber=${LOCAL_PORT}`,
      ]),
    });
  }
}

