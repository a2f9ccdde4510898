/**
 * Who can reach the Kubernetes API of each environment: a private-only endpoint with the Session Manager
 * bastion as the way in (staging, prod), or the public endpoint (dev); the kubectl Lambda in the VPC
 * either way; and `-c apiEndpoint` overriding an environment's choice.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { synthesizedOnce } from './support/synthesized';
import { LOCAL_PORT, PORT_FORWARDING_DOCUMENT } from '../src/api-access';
import { ApiEndpoint, EnvironmentName } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';
import { environmentApp } from '../src/synthesis';

type Json = Record<string, any>;

const KUBECTL_HANDLER = 'onEvent handler for EKS kubectl resource provider';
const OUTPUTS = ['BastionInstanceId', 'ApiEndpointHost', 'ApiAccessPolicyArn', 'PortForwardCommand'];

const idOf = (template: Json, type: string, prefix = ''): string => {
  const ids = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === type && id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}, got ${ids.join(', ')}`);
  return ids[0];
};
const ofType = (template: Json, type: string): Array<[string, Json]> =>
  Object.entries<Json>(template.Resources).filter(([, r]) => r.Type === type);

/** The facts of a template this file checks. */
function apiAccessOf(template: Json) {
  const clusterId = idOf(template, 'AWS::EKS::Cluster');
  const endpointGroups = [
    JSON.stringify({ 'Fn::GetAtt': [clusterId, 'ClusterSecurityGroupId'] }),
    JSON.stringify({ 'Fn::GetAtt': [idOf(template, 'AWS::EC2::SecurityGroup', 'ClusterControlPlaneSecurityGroup'), 'GroupId'] }),
  ];
  const intoEndpoint = ofType(template, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties)
    .filter((p) => endpointGroups.includes(JSON.stringify(p.GroupId)));
  return {
    vpcConfig: template.Resources[clusterId].Properties.ResourcesVpcConfig,
    instances: ofType(template, 'AWS::EC2::Instance'),
    endpointGroups,
    intoEndpoint,
    outputs: OUTPUTS.filter((o) => template.Outputs[o] !== undefined),
  };
}

describe.each(Object.values(EnvironmentName))('environment %s', (name) => {
  const out = synthesizedOnce(name);
  const privateApi = ENVIRONMENTS[name].apiEndpoint === ApiEndpoint.PRIVATE;
  const template = () => out().templates[`${out().stackName}.template.json`];

  test(`the API endpoint is ${privateApi ? 'private only' : 'public and private'}`, () => {
    expect(apiAccessOf(template()).vpcConfig).toMatchObject({ EndpointPrivateAccess: true, EndpointPublicAccess: !privateApi });
    expect(apiAccessOf(template()).vpcConfig.PublicAccessCidrs).toBeUndefined();
  });

  test('the kubectl Lambda runs in the private subnets, in the cluster security group that EKS puts on the endpoint', () => {
    const t = template();
    const [, handler] = ofType(t, 'AWS::Lambda::Function').find(([, r]) => r.Properties.Description === KUBECTL_HANDLER)!;
    const privateSubnets = ofType(t, 'AWS::EC2::Subnet').filter(([, r]) => r.Properties.Tags.some((tag: Json) => tag.Key === 'aws-cdk:subnet-name' && tag.Value === 'Private'));
    expect(handler.Properties.VpcConfig.SubnetIds.map((s: Json) => s.Ref).sort()).toEqual(privateSubnets.map(([id]) => id).sort());
    expect(privateSubnets).toHaveLength(ENVIRONMENTS[name].network.maxAzs);
    expect(handler.Properties.VpcConfig.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [idOf(t, 'AWS::EKS::Cluster'), 'ClusterSecurityGroupId'] }]);
    // EKS's cluster security group admits its own members (a rule EKS writes, not in the template); the
    // handler calls the EKS and STS APIs through the NAT gateways of its subnets.
    const routes = ofType(t, 'AWS::EC2::Route').map(([, r]) => r.Properties);
    for (const [id] of privateSubnets) {
      const table = ofType(t, 'AWS::EC2::SubnetRouteTableAssociation').find(([, a]) => a.Properties.SubnetId.Ref === id)![1].Properties.RouteTableId;
      expect(routes.find((r) => JSON.stringify(r.RouteTableId) === JSON.stringify(table) && r.DestinationCidrBlock === '0.0.0.0/0')?.NatGatewayId).toBeDefined();
    }
  });

  if (privateApi) {
    test('a Session Manager bastion is the only way in from outside the VPC: into the endpoint\'s security groups on 443', () => {
      const t = template();
      const access = apiAccessOf(t);
      expect(access.instances).toHaveLength(1);
      const bastionGroup = { 'Fn::GetAtt': [idOf(t, 'AWS::EC2::SecurityGroup', 'NetworkBastionSecurityGroup'), 'GroupId'] };
      expect(access.intoEndpoint).toHaveLength(2);
      expect(access.intoEndpoint).toEqual(expect.arrayContaining(access.endpointGroups.map((group) => ({
        GroupId: JSON.parse(group),
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: bastionGroup,
        Description: expect.stringContaining('kubectl through the Session Manager bastion'),
      }))));
      // no inline rule either: the control plane's own group has none
      expect(t.Resources[idOf(t, 'AWS::EC2::SecurityGroup', 'ClusterControlPlaneSecurityGroup')].Properties.SecurityGroupIngress).toBeUndefined();
      expect(access.instances[0][1].Properties.SecurityGroupIds).toEqual([bastionGroup]);
    });

    test('the outputs name the bastion, the endpoint host and the port forwarding', () => {
      const t = template();
      const access = apiAccessOf(t);
      expect(access.outputs).toEqual(OUTPUTS);
      expect(t.Outputs.BastionInstanceId.Value).toEqual({ Ref: access.instances[0][0] });
      const host = { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [idOf(t, 'AWS::EKS::Cluster'), 'Endpoint'] }] }] };
      expect(t.Outputs.ApiEndpointHost.Value).toEqual(host);
      expect(t.Outputs.ApiAccessPolicyArn.Value).toEqual({ Ref: idOf(t, 'AWS::IAM::ManagedPolicy', 'ApiAccessSessionPolicy') });
      expect(t.Outputs.PortForwardCommand.Value).toEqual({
        'Fn::Join': ['', [
          'aws ssm start-session --region us-east-1 --target ', { Ref: access.instances[0][0] },
          ` --document-name ${PORT_FORWARDING_DOCUMENT} --parameters host=`, host, `,portNumber=443,localPortNumber=${LOCAL_PORT}`,
        ]],
      });
    });

    test('each output says what it is for', () => {
      const described = Object.fromEntries(OUTPUTS.map((o) => [o, template().Outputs[o].Description]));
      expect(described).toEqual({
        BastionInstanceId: expect.stringContaining('the --target of aws ssm start-session'),
        ApiEndpointHost: expect.stringContaining('the host of the port forwarding and the tls-server-name of the kubeconfig'),
        ApiAccessPolicyArn: expect.stringContaining('Managed policy a person\'s IAM role needs to forward a port through the bastion'),
        PortForwardCommand: expect.stringContaining(`Forwards localhost:${LOCAL_PORT} to the private API endpoint`),
      });
    });

    test('the session policy says whose it is, and its one wildcard is acknowledged with the reason', () => {
      const t = template();
      const clusterName = t.Resources[idOf(t, 'AWS::EKS::Cluster')].Properties.Name;
      expect(t.Resources[idOf(t, 'AWS::IAM::ManagedPolicy', 'ApiAccessSessionPolicy')].Properties.Description)
        .toBe(`kubectl on the private API endpoint of EKS cluster ${clusterName}: port forwarding through its bastion`);
      const metadata = JSON.parse(readFileSync(join(out().folders.cdkOut, `${out().stackName}.metadata.json`), 'utf8'));
      const acknowledged = (metadata[`/${out().stackName}/ApiAccess/SessionPolicy`] as Json[])
        .filter((e) => e.type === 'aws:cdk:acknowledged-rules').flatMap((e) => Object.entries<string>(e.data));
      expect(acknowledged).toEqual([[
        'Annotation::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:us-east-1:123456789012:session/<aws:userid>-*]',
        expect.stringContaining('${aws:userid} limits ending and resuming to the caller\'s own sessions'),
      ]]);
    });

    test('the README\'s steps name outputs this template has, the document the policy allows and the port of the command', () => {
      const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
      const start = readme.indexOf('### kubectl on a private endpoint');
      const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
      const named = [...section.matchAll(/\bout (\w+)/g)].map((m) => m[1]);
      expect(named).toEqual(['BastionInstanceId', 'ApiEndpointHost', 'ClusterName']);
      for (const output of [...named, 'ApiAccessPolicyArn', 'PortForwardCommand']) {
        expect(section).toContain(output);
        expect(template().Outputs[output]).toBeDefined();
      }
      expect(section).toContain(`--document-name ${PORT_FORWARDING_DOCUMENT}`);
      expect(section).toContain(`localPortNumber=${LOCAL_PORT}`);
      expect(section).toContain(`--server=https://localhost:${LOCAL_PORT}`);
    });

    test('the session policy lets a person forward a port through this bastion only, and end their own sessions', () => {
      const t = template();
      const policy = t.Resources[idOf(t, 'AWS::IAM::ManagedPolicy', 'ApiAccessSessionPolicy')].Properties;
      const partition = { Ref: 'AWS::Partition' };
      expect(policy.PolicyDocument.Statement).toEqual([
        {
          Sid: 'PortForwardThroughTheBastion',
          Effect: 'Allow',
          Action: 'ssm:StartSession',
          Resource: [
            { 'Fn::Join': ['', ['arn:', partition, ':ec2:us-east-1:123456789012:instance/', { Ref: apiAccessOf(t).instances[0][0] }]] },
            { 'Fn::Join': ['', ['arn:', partition, `:ssm:us-east-1::document/${PORT_FORWARDING_DOCUMENT}`]] },
          ],
          Condition: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } },
        },
        {
          Sid: 'OwnSessions',
          Effect: 'Allow',
          Action: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          Resource: { 'Fn::Join': ['', ['arn:', partition, ':ssm:us-east-1:123456789012:session/${aws:userid}-*']] },
        },
        { Sid: 'Kubeconfig', Effect: 'Allow', Action: 'eks:DescribeCluster', Resource: { 'Fn::GetAtt': [idOf(t, 'AWS::EKS::Cluster'), 'Arn'] } },
        { Sid: 'StackOutputs', Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } },
      ]);
      // attached to no role: people's roles are managed outside the stack (README)
      expect(policy.Roles).toBeUndefined();
    });
  } else {
    test('no bastion, no rule into the endpoint\'s security groups, no access outputs', () => {
      const access = apiAccessOf(template());
      expect(access.instances).toEqual([]);
      expect(access.intoEndpoint).toEqual([]);
      expect(access.outputs).toEqual([]);
    });
  }
});

describe('-c apiEndpoint overrides the environment\'s choice', () => {
  const base = mkdtempSync(join(tmpdir(), 'api-access-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const templateOf = (name: string, context: Record<string, unknown>) => {
    const built = environmentApp(name, { cdkOut: join(base, name, 'cdk.out'), manifests: join(base, name, 'manifests') }, undefined, context);
    return Template.fromStack(built.stack).toJSON();
  };

  test('dev with a private endpoint gets the bastion and its outputs', () => {
    const access = apiAccessOf(templateOf('dev', { apiEndpoint: 'private' }));
    expect(access.vpcConfig).toMatchObject({ EndpointPrivateAccess: true, EndpointPublicAccess: false });
    expect(access.instances).toHaveLength(1);
    expect(access.intoEndpoint).toHaveLength(2);
    expect(access.outputs).toEqual(OUTPUTS);
  });

  test('prod with a public endpoint limited to -c apiAllowedCidrs gets no bastion', () => {
    const access = apiAccessOf(templateOf('prod', { apiEndpoint: 'public-and-private', apiAllowedCidrs: '203.0.113.0/24' }));
    expect(access.vpcConfig).toMatchObject({ EndpointPrivateAccess: true, EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24'] });
    expect(access.instances).toEqual([]);
    expect(access.outputs).toEqual([]);
  });
});
