import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EksEndpoints } from './endpoints';

/** Availability Zones per VPC this construct accepts: AWS regions have at most six. */
export const MAX_AZS = 6;
/** VPC and subnet prefix lengths AWS accepts for IPv4. */
export const MIN_MASK = 16;
export const MAX_MASK = 28;

/** Throws unless the value is an integer in [min, max]; `range` describes the bounds in the message. */
export function checkInteger(prop: string, value: number | undefined, min: number, max: number, range = `between ${min} and ${max}`): void {
  if (value === undefined || Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`'${prop}' must be an integer ${range}, got ${value}`);
  }
}

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  readonly address: number;
  readonly mask: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/** Parses the VPC CIDR, or throws naming what is wrong and the likely fix. */
export function parseCidr(cidr: string): Ipv4Cidr {
  const match = OCTETS.exec(cidr.trim());
  const octets = match ? match.slice(1, 5).map(Number) : [];
  if (!match || octets.some((o) => o > 255)) {
    throw new Error(`'cidr' must be an IPv4 CIDR block such as '10.0.0.0/16' (four numbers 0-255 and a prefix length from /${MIN_MASK} to /${MAX_MASK}), got '${cidr}'`);
  }
  if (match[5] === undefined) {
    throw new Error(`'cidr' must be an IPv4 CIDR block with a prefix length, got '${cidr}': add a mask, e.g. '${cidr.trim()}/16'`);
  }
  const mask = Number(match[5]);
  if (mask < MIN_MASK || mask > MAX_MASK) {
    throw new Error(`'cidr' prefix length must be between /${MIN_MASK} and /${MAX_MASK} (the VPC sizes AWS allows), got /${mask} in '${cidr}'`);
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - mask);
  const network = address - (address % size);
  if (network !== address) {
    throw new Error(`'cidr' has host bits set beyond its /${mask} prefix, got '${cidr}': use '${formatIp(network)}/${mask}'`);
  }
  return { address, mask };
}

function formatIp(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** Throws unless every AZ's public and private subnet fits in the VPC CIDR. */
export function checkSubnetsFit(cidr: string, vpcMask: number, azs: number, publicMask: number, privateMask: number): void {
  for (const [prop, mask] of [['publicSubnetCidrMask', publicMask], ['privateSubnetCidrMask', privateMask]] as const) {
    checkInteger(prop, mask, vpcMask, MAX_MASK, `between ${vpcMask} (the size of 'cidr' ${cidr}) and ${MAX_MASK}`);
  }
  // Subnets are allocated largest first, so no address is lost to alignment and sizes simply add up.
  const needed = azs * (2 ** (32 - publicMask) + 2 ** (32 - privateMask));
  const available = 2 ** (32 - vpcMask);
  if (needed > available) {
    throw new Error(
      `The subnets do not fit in 'cidr' ${cidr}: ${azs} AZs x (public /${publicMask} + private /${privateMask}) need ${needed} addresses, ` +
      `the VPC has ${available}; use a larger 'cidr', fewer 'maxAzs' or higher 'publicSubnetCidrMask'/'privateSubnetCidrMask'`,
    );
  }
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

/** Throws unless the name is one EKS accepts for a cluster. */
export function checkClusterName(name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  // The pattern needs one character at least, so only the upper bound is checked apart.
  if (name.length > 100 || !CLUSTER_NAME.test(name)) {
    throw new Error(
      "'clusterName' must be 1-100 characters, start with a letter or digit and contain only letters, digits, '-' and '_' " +
      `(the EKS cluster name rule ${CLUSTER_NAME.source}), got '${name}'`,
    );
  }
}

/** Throws unless CloudWatch Logs accepts the retention. */
export function checkRetention(retention: logs.RetentionDays | undefined): void {
  if (retention === undefined || Token.isUnresolved(retention)) return;
  const allowed = Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number');
  if (!allowed.includes(retention)) {
    throw new Error(`'flowLogs.retention' must be a number of days CloudWatch Logs accepts (${allowed.join(', ')}), got ${retention}`);
  }
}

/** Throws when private subnets without NAT would lack the endpoints EKS nodes need to start. */
export function checkNoNatEndpoints(interfaceEndpoints: ec2.InterfaceVpcEndpointAwsService[], s3GatewayEndpoint: boolean): void {
  const present = new Set(interfaceEndpoints.map((s) => s.shortName));
  const missing = EksEndpoints.WITHOUT_NAT_MINIMUM.filter((s) => !present.has(s.shortName)).map((s) => s.shortName);
  if (missing.length > 0 || !s3GatewayEndpoint) {
    const needs = [...missing.map((m) => `'${m}' in 'interfaceEndpoints'`), ...(s3GatewayEndpoint ? [] : ["'s3GatewayEndpoint: true'"])];
    throw new Error(
      "'natGateways' is 0, so the private subnets have no route to the internet and nodes need VPC endpoints to pull images " +
      `and assume roles; missing: ${needs.join(', ')} (use EksEndpoints.ALL), or set 'natGateways' between 1 and 'maxAzs'`,
    );
  }
}

/** Throws when a service is listed twice: each service gets one endpoint per network. */
export function checkUniqueEndpoint(existing: Iterable<string>, service: ec2.InterfaceVpcEndpointAwsService): void {
  if ([...existing].includes(service.shortName)) {
    throw new Error(`An interface endpoint for '${service.shortName}' already exists in this network: list each service once in 'interfaceEndpoints'`);
  }
}

/** Throws when the list names a service twice. */
export function checkUniqueEndpoints(services: ec2.InterfaceVpcEndpointAwsService[]): void {
  services.forEach((service, i) => checkUniqueEndpoint(services.slice(0, i).map((s) => s.shortName), service));
}
