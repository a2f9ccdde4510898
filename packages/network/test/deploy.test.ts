/**
 * Deploys the Network stacks of test/deploy/app.ts with the real CDK CLI (bootstrap + deploy)
 * into moto_server, then reads every resource back through the EC2 API: moto reports
 * CREATE_COMPLETE even for resource types it does not implement, so the stack status proves nothing.
 *
 * The default security group lock-down is a Lambda-backed custom resource, and moto runs Lambda
 * code only in Docker, which these machines lack: moto marks it CREATE_COMPLETE without running it.
 * The closest honest check is below: the test shows the rules still there after the deploy, runs
 * the handler code the CLI uploaded (from the cloud assembly) the way Lambda would, with the
 * properties the template gives it, and then reads the group back through EC2.
 *
 * Not observable here, so asserted on the template by the unit tests instead:
 * - the VPC's DNS attributes and the subnets' MapPublicIpOnLaunch: moto's CloudFormation ignores them;
 * - which subnet uses which route table: moto's CloudFormation records the associations apart from
 *   the route tables (and drops their tags), so here the route tables are checked by their routes.
 */
import { execFile } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';
import {
  DescribeFlowLogsCommand, DescribeInternetGatewaysCommand, DescribeNatGatewaysCommand, DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand,
  DescribeVpcsCommand, EC2Client, FlowLog, NatGateway, RouteTable, SecurityGroup, Subnet, VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { expectCfnLintClean } from '../../../tools/testing/cloudformation';
import { MotoServer, startMoto } from '../../../tools/testing/moto';

const run = promisify(execFile);
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

let moto: MotoServer;
let outdir: string;
let ec2: EC2Client;
let deploySeconds: number;

/** The environment of a process that talks to the emulator with fake credentials. */
function awsEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
  delete env.AWS_PROFILE;
  return env;
}

/** Runs the real CDK CLI against the emulator; never blocks the event loop, so moto's output keeps draining. */
async function cdk(args: string[]): Promise<string> {
  const env = awsEnv();
  const cli = require.resolve('aws-cdk/bin/cdk');
  const tsNode = require.resolve('ts-node/dist/bin.js');
  const app = `"${process.execPath}" "${tsNode}" --transpile-only test/deploy/app.ts`;
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args, '--app', app, '--output', outdir, '--no-notices', '--ci'], {
      cwd: join(__dirname, '..'), env, maxBuffer: 64 * 1024 * 1024, timeout: 90_000,
    });
    return stdout + stderr;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`cdk ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

const inVpc = (vpcId: string) => [{ Name: 'vpc-id', Values: [vpcId] }];

/** The VPC CDK named `<stack>/Network/Vpc`. */
async function vpcOf(stack: string) {
  const { Vpcs = [] } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: [`${stack}/Network/Vpc`] }] }));
  expect(Vpcs).toHaveLength(1);
  return Vpcs[0];
}

async function subnetsOf(vpcId: string, group: 'Public' | 'Private'): Promise<Subnet[]> {
  const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({ Filters: inVpc(vpcId) }));
  return Subnets
    .filter((s) => s.Tags?.some((t) => t.Key === 'aws-cdk:subnet-name' && t.Value === group))
    .sort((a, b) => a.AvailabilityZone!.localeCompare(b.AvailabilityZone!));
}

async function natGatewaysOf(vpcId: string): Promise<NatGateway[]> {
  return (await ec2.send(new DescribeNatGatewaysCommand({ Filter: inVpc(vpcId) }))).NatGateways ?? [];
}

async function endpointsOf(vpcId: string): Promise<VpcEndpoint[]> {
  return (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: inVpc(vpcId) }))).VpcEndpoints ?? [];
}

async function flowLogsOf(vpcId: string): Promise<FlowLog[]> {
  return (await ec2.send(new DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [vpcId] }] }))).FlowLogs ?? [];
}

async function routeTablesOf(vpcId: string): Promise<RouteTable[]> {
  const { RouteTables = [] } = await ec2.send(new DescribeRouteTablesCommand({ Filters: inVpc(vpcId) }));
  return RouteTables;
}

/** The target of each route table's default route (0.0.0.0/0), for the tables that have one. */
function defaultRoutes(tables: RouteTable[]): Array<{ table: string; nat?: string; gateway?: string }> {
  return tables.flatMap((t) => t.Routes!.filter((r) => r.DestinationCidrBlock === '0.0.0.0/0')
    .map((r) => ({ table: t.RouteTableId!, nat: r.NatGatewayId, gateway: r.GatewayId })));
}

async function defaultSecurityGroupOf(vpcId: string): Promise<SecurityGroup> {
  const { SecurityGroups = [] } = await ec2.send(new DescribeSecurityGroupsCommand({
    Filters: [...inVpc(vpcId), { Name: 'group-name', Values: ['default'] }],
  }));
  expect(SecurityGroups).toHaveLength(1);
  return SecurityGroups[0];
}

function tags(subnet: Subnet): Record<string, string> {
  return Object.fromEntries((subnet.Tags ?? []).map((t) => [t.Key!, t.Value!]));
}

beforeAll(async () => {
  moto = await startMoto();
  outdir = mkdtempSync(join(tmpdir(), 'network-deploy-'));
  ec2 = new EC2Client({ endpoint: moto.endpoint, region: REGION, credentials: CREDENTIALS });
  await cdk(['bootstrap', `aws://123456789012/${REGION}`]);
  const started = Date.now();
  const output = await cdk(['deploy', '--all', '--require-approval', 'never']);
  deploySeconds = (Date.now() - started) / 1000;
  expect(output).toContain('NetworkHa');
  expect(output).toContain('NetworkPrivate');
}, 120_000);

afterAll(async () => {
  ec2?.destroy();
  await moto?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

test('the templates the CLI deployed pass cfn-lint', () => {
  const files = readdirSync(outdir).filter((f) => f.endsWith('.template.json') && !f.startsWith('CDKToolkit'));
  expect(files.sort()).toEqual(['NetworkHa.template.json', 'NetworkPrivate.template.json']);
  expectCfnLintClean(Object.fromEntries(files.map((f) => [f.replace('.template.json', ''), JSON.parse(readFileSync(join(outdir, f), 'utf8'))])));
});

describe('deployed: highly available network', () => {
  test('the VPC has the configured range', async () => {
    const vpc = await vpcOf('NetworkHa');
    expect(vpc.CidrBlock).toBe('10.0.0.0/16');
    expect(vpc.State).toBe('available');
    console.log(`cdk deploy of both stacks took ${deploySeconds.toFixed(1)} s`);
  });

  test('a public and a private subnet in each of three AZs, tagged for the cluster', async () => {
    const { VpcId } = await vpcOf('NetworkHa');
    const publicSubnets = await subnetsOf(VpcId!, 'Public');
    const privateSubnets = await subnetsOf(VpcId!, 'Private');
    expect(publicSubnets.map((s) => [s.AvailabilityZone, s.CidrBlock])).toEqual([
      ['us-east-1a', '10.0.96.0/24'], ['us-east-1b', '10.0.97.0/24'], ['us-east-1c', '10.0.98.0/24'],
    ]);
    expect(privateSubnets.map((s) => [s.AvailabilityZone, s.CidrBlock])).toEqual([
      ['us-east-1a', '10.0.0.0/19'], ['us-east-1b', '10.0.32.0/19'], ['us-east-1c', '10.0.64.0/19'],
    ]);
    for (const s of publicSubnets) {
      expect(tags(s)).toMatchObject({ 'kubernetes.io/role/elb': '1', 'kubernetes.io/cluster/deploy-test': 'shared' });
    }
    for (const s of privateSubnets) {
      expect(tags(s)).toMatchObject({ 'kubernetes.io/role/internal-elb': '1', 'kubernetes.io/cluster/deploy-test': 'shared' });
    }
  });

  test('one available NAT gateway in each AZ\'s public subnet; three route tables out through them, three through the internet gateway', async () => {
    const { VpcId } = await vpcOf('NetworkHa');
    const publicSubnets = await subnetsOf(VpcId!, 'Public');
    const natGateways = await natGatewaysOf(VpcId!);
    expect(natGateways.map((n) => n.State)).toEqual(['available', 'available', 'available']);
    expect(natGateways.map((n) => n.SubnetId).sort()).toEqual(publicSubnets.map((s) => s.SubnetId).sort());
    const { InternetGateways = [] } = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [VpcId!] }] }));
    expect(InternetGateways).toHaveLength(1);

    const routes = defaultRoutes(await routeTablesOf(VpcId!));
    const natRoutes = routes.filter((r) => r.nat);
    expect(natRoutes.map((r) => r.nat).sort()).toEqual(natGateways.map((n) => n.NatGatewayId).sort());
    expect(new Set(natRoutes.map((r) => r.table)).size).toBe(3);
    expect(routes.filter((r) => r.gateway === InternetGateways[0].InternetGatewayId)).toHaveLength(3);
    expect(routes).toHaveLength(6);
  });

  test('the S3 gateway endpoint serves the private (NAT-routed) tables only; the interface endpoints sit in the private subnets', async () => {
    const { VpcId } = await vpcOf('NetworkHa');
    const privateSubnets = await subnetsOf(VpcId!, 'Private');
    const natTables = defaultRoutes(await routeTablesOf(VpcId!)).filter((r) => r.nat).map((r) => r.table);
    const endpoints = await endpointsOf(VpcId!);
    const gateway = endpoints.filter((e) => e.VpcEndpointType === 'Gateway');
    expect(gateway.map((e) => e.ServiceName)).toEqual(['com.amazonaws.us-east-1.s3']);
    expect([...gateway[0].RouteTableIds!].sort()).toEqual(natTables.sort());

    const interfaces = endpoints.filter((e) => e.VpcEndpointType === 'Interface');
    expect(interfaces.map((e) => e.ServiceName).sort()).toEqual(['ecr.api', 'ecr.dkr', 'sts'].map((s) => `com.amazonaws.us-east-1.${s}`));
    const groupIds = new Set(interfaces.flatMap((e) => e.Groups!.map((g) => g.GroupId)));
    expect(groupIds.size).toBe(1);
    for (const endpoint of interfaces) {
      expect(endpoint.PrivateDnsEnabled).toBe(true);
      expect([...endpoint.SubnetIds!].sort()).toEqual(privateSubnets.map((s) => s.SubnetId).sort());
    }
    const { SecurityGroups = [] } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...groupIds] as string[] }));
    expect(SecurityGroups[0].IpPermissions).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [expect.objectContaining({ CidrIp: '10.0.0.0/16' })] }),
    ]);
  });

  test('the default security group lock-down handler, run as Lambda would run it, strips every rule', async () => {
    // GIVEN the deployed VPC, whose default group moto left open (the custom resource never ran)
    const { VpcId } = await vpcOf('NetworkHa');
    const before = await defaultSecurityGroupOf(VpcId!);
    expect(before.IpPermissionsEgress).toEqual([expect.objectContaining({ IpProtocol: '-1', IpRanges: [expect.objectContaining({ CidrIp: '0.0.0.0/0' })] })]);
    // ... and the custom resource the template declares for it
    const template = JSON.parse(readFileSync(join(outdir, 'NetworkHa.template.json'), 'utf8'));
    const [vpcLogicalId] = Object.entries<{ Type: string }>(template.Resources).find(([, r]) => r.Type === 'AWS::EC2::VPC')!;
    const custom = Object.values<{ Type: string; Properties: Record<string, unknown> }>(template.Resources)
      .filter((r) => r.Type === 'Custom::VpcRestrictDefaultSG');
    expect(custom.map((r) => r.Properties.DefaultSecurityGroupId)).toEqual([{ 'Fn::GetAtt': [vpcLogicalId, 'DefaultSecurityGroup'] }]);
    const assets = JSON.parse(readFileSync(join(outdir, 'NetworkHa.assets.json'), 'utf8'));
    const code = Object.values<{ displayName: string; source: { path: string } }>(assets.files)
      .find((f) => f.displayName.includes('VpcRestrictDefaultSG'))!.source.path;

    // WHEN the handler the CLI uploaded runs a Create with the resolved properties
    const event = { RequestType: 'Create', ResourceProperties: { DefaultSecurityGroupId: before.GroupId, Account: '123456789012' } };
    const script = `require(${JSON.stringify(join(outdir, code, 'index.js'))}).handler(${JSON.stringify(event)})` +
      '.then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })';
    // Lambda's Node.js runtime provides the AWS SDK v3; here it comes from the workspace.
    const resolved = require.resolve('@aws-sdk/client-ec2');
    const sdk = resolved.slice(0, resolved.lastIndexOf('node_modules') + 'node_modules'.length);
    await run(process.execPath, ['-e', script], { env: { ...awsEnv(), NODE_PATH: sdk }, timeout: 30_000 });

    // THEN
    const after = await defaultSecurityGroupOf(VpcId!);
    expect(after.IpPermissions).toEqual([]);
    expect(after.IpPermissionsEgress).toEqual([]);
  });

  test('the flow log records all traffic of the VPC to CloudWatch Logs', async () => {
    const { VpcId } = await vpcOf('NetworkHa');
    const flowLogs = await flowLogsOf(VpcId!);
    expect(flowLogs).toHaveLength(1);
    expect(flowLogs[0]).toMatchObject({ TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', FlowLogStatus: 'ACTIVE' });
    expect(flowLogs[0].LogGroupName).toMatch(/^NetworkHa-NetworkFlowLogGroup/);
    expect(flowLogs[0].DeliverLogsPermissionArn).toMatch(/^arn:aws:iam::123456789012:role\/NetworkHa-NetworkFlowLogIAMRole/);
  });
});

describe('deployed: private network', () => {
  test('two AZs, no NAT gateway, and only the public route tables lead out', async () => {
    const vpc = await vpcOf('NetworkPrivate');
    expect(vpc.CidrBlock).toBe('10.20.0.0/16');
    const privateSubnets = await subnetsOf(vpc.VpcId!, 'Private');
    expect(privateSubnets.map((s) => [s.AvailabilityZone, s.CidrBlock])).toEqual([['us-east-1a', '10.20.0.0/19'], ['us-east-1b', '10.20.32.0/19']]);
    const natGateways = await natGatewaysOf(vpc.VpcId!);
    expect(natGateways).toEqual([]);
    const tables = await routeTablesOf(vpc.VpcId!);
    const routes = defaultRoutes(tables);
    expect(routes.map((r) => r.gateway?.startsWith('igw-'))).toEqual([true, true]);
    // The private tables are the ones the S3 gateway endpoint serves: none of them has a default route.
    const endpoints = await endpointsOf(vpc.VpcId!);
    const privateTables = endpoints.find((e) => e.VpcEndpointType === 'Gateway')!.RouteTableIds!;
    expect(privateTables).toHaveLength(2);
    expect(routes.filter((r) => privateTables.includes(r.table))).toEqual([]);
  });

  test('all seven EKS interface endpoints and the S3 gateway endpoint', async () => {
    const { VpcId } = await vpcOf('NetworkPrivate');
    const endpoints = await endpointsOf(VpcId!);
    expect(endpoints.map((e) => `${e.VpcEndpointType} ${e.ServiceName!.replace('com.amazonaws.us-east-1.', '')}`).sort()).toEqual([
      'Gateway s3', 'Interface ec2', 'Interface ecr.api', 'Interface ecr.dkr', 'Interface elasticloadbalancing',
      'Interface logs', 'Interface secretsmanager', 'Interface sts',
    ]);
  });

  test('the flow log records all traffic to the S3 archive', async () => {
    const { VpcId } = await vpcOf('NetworkPrivate');
    const flowLogs = await flowLogsOf(VpcId!);
    expect(flowLogs).toHaveLength(1);
    expect(flowLogs[0]).toMatchObject({ TrafficType: 'ALL', LogDestinationType: 's3' });
    expect(flowLogs[0].LogDestination).toMatch(/^arn:aws:s3:::networkprivate-flowlogarchive[a-z0-9-]+$/);
  });
});
