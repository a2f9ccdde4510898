/**
 * Synth-time checks. Each throws an error that names the prop, shows the value and says what is
 * allowed, so a bad value fails at `cdk8s synth` rather than in the cluster.
 */

/** A value as an error message shows it: strings quoted, lists and objects as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** Throws `'prop' <rule>, got <value>`. */
export function fail(prop: string, rule: string, value: unknown): never {
  throw new Error(`'${prop}' ${rule}, got ${show(value)}`);
}

/** A whole number within bounds. */
export function checkInteger(prop: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(prop, `must be a whole number between ${min} and ${max}`, value);
  }
}

/** Throws when more than one of the named props is set. */
export function checkExclusive(props: Record<string, unknown>): void {
  const set = Object.keys(props).filter((name) => props[name] !== undefined);
  if (set.length > 1) {
    throw new Error(`${set.map((name) => `'${name}'`).join(' and ')} are mutually exclusive: set one of them`);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A DNS-1123 label: namespaces and the names of Services. */
export function checkDnsLabel(prop: string, value: string, maxLength = 63): void {
  if (value.length > maxLength || !DNS_LABEL.test(value)) {
    fail(prop, `must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most ${maxLength} characters`, value);
  }
}

/** A DNS-1123 subdomain: names of Secrets and hosts. */
export function checkDnsSubdomain(prop: string, value: string): void {
  if (value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(prop, 'must be a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', at most 253 characters)', value);
  }
}

/** A key of a Secret's data. */
export function checkSecretKey(prop: string, value: string): void {
  if (!/^[-._a-zA-Z0-9]{1,253}$/.test(value)) {
    fail(prop, 'must be a Secret data key (letters, digits, \'-\', \'_\' and \'.\')', value);
  }
}

/** A TCP port. */
export function checkPort(prop: string, value: number): void {
  checkInteger(prop, value, 1, 65535);
}

/** An IPv4 or IPv6 CIDR block. */
export function checkCidr(prop: string, value: string): void {
  const v4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
  const v6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/;
  if (!v4.test(value) && !v6.test(value)) fail(prop, 'must be an IPv4 or IPv6 CIDR block such as 10.0.0.0/16', value);
}

/** An http or https URL; returns it parsed. */
export function checkHttpUrl(prop: string, value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    fail(prop, 'must be an http:// or https:// URL', value);
  }
  return url;
}

/** An image reference pinned to a tag other than latest, or to a digest. */
export function checkImage(prop: string, image: string): void {
  const lastSegment = image.split('/').pop() ?? '';
  const digest = /@sha256:[0-9a-f]{64}$/.test(image);
  const tag = /^[^:@]+:[\w][\w.-]{0,127}$/.exec(lastSegment);
  if (!digest && (!tag || lastSegment.endsWith(':latest'))) {
    fail(prop, 'must be pinned to a tag other than latest, or to a digest (e.g. repository:1.2.3)', image);
  }
}
