/**
 * Synth-time checks. Each throws an error that names the prop, shows the value it got and says what
 * is allowed, `'prop' <rule>, got <value>`, so a bad value fails at `cdk8s synth` instead of at
 * `kubectl apply` or inside the cluster. Both libraries word their errors through these.
 */

/** A value as an error shows it: strings quoted, lists and objects as JSON, the rest as written. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * True for a string that holds an AWS CDK token (`${Token[...]}`): a value known only when the stack
 * deploys, such as the ARN of a certificate created in the same app, which a chart added to an EKS
 * cluster may carry. Checks of the value's format skip it; the AWS side checks it at deploy time.
 */
export function isUnresolvedToken(value: string): boolean {
  return /\$\{Token\[[^\]]+\]\}/.test(value);
}

/** Throws `'prop' <rule>, got <value>`. */
export function fail(prop: string, rule: string, value: unknown): never {
  throw new Error(`'${prop}' ${rule}, got ${show(value)}`);
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
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A DNS-1123 label: namespaces, Service and workload names. */
export function checkDnsLabel(prop: string, value: string, maxLength = 63): void {
  if (value.length === 0 || value.length > maxLength || !DNS_LABEL.test(value)) {
    fail(prop, `must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most ${maxLength} characters`, value);
  }
}

/** A DNS-1123 subdomain: Secret and StorageClass names, host names, the cluster domain. */
export function checkDnsSubdomain(prop: string, value: string): void {
  if (value.length === 0 || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    fail(prop, 'must be a DNS-1123 subdomain (lowercase letters, digits, \'-\' and \'.\', at most 253 characters)', value);
  }
}

/** A key of a Secret's data. */
export function checkSecretKey(prop: string, value: string): void {
  if (value.length === 0 || value.length > 253 || !SECRET_KEY.test(value)) {
    fail(prop, 'must be a Secret data key (letters, digits, \'-\', \'_\' and \'.\')', value);
  }
}

/** A whole number within bounds. */
export function checkInteger(prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `between ${min} and ${max}`;
    fail(prop, `must be a whole number ${range}`, value);
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

/** An absolute URL path (probe and health-check paths). */
export function checkUrlPath(prop: string, value: string): void {
  if (!/^\/[\x21-\x7e]*$/.test(value)) fail(prop, 'must be an absolute URL path starting with \'/\'', value);
}

const LABEL_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Kubernetes labels: `[prefix/]name` keys and values of at most 63 characters. */
export function checkLabels(prop: string, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const name = key.slice(slash + 1);
    const prefixOk = slash < 0 || (slash <= 253 && DNS_SUBDOMAIN.test(key.slice(0, slash)));
    if (!prefixOk || name.length > 63 || !LABEL_PART.test(name)) {
      fail(prop, 'keys must be Kubernetes label keys ([prefix/]name, the name at most 63 letters, digits, \'-\', \'_\' and \'.\')', key);
    }
    if (value.length > 63 || (value !== '' && !LABEL_PART.test(value))) {
      fail(`${prop}.${key}`, 'must be a Kubernetes label value (at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit)', value);
    }
  }
}
