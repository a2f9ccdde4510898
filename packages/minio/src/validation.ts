/**
 * Synth-time checks shared by every prop of the library. Each check throws an error that names
 * the prop, shows the value it got and says what is allowed, so a bad value fails at `cdk8s synth`
 * instead of at `kubectl apply` or, worse, at runtime inside the cluster.
 */

/** Renders a value for an error message: strings quoted, everything else as written. */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Throws `'prop' <rule>, got <value>`. */
export function fail(prop: string, rule: string, value: unknown): never {
  throw new Error(`'${prop}' ${rule}, got ${show(value)}`);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A DNS-1123 label: namespaces, Service and StatefulSet names. */
export function checkDnsLabel(prop: string, value: string, maxLength = 63): void {
  if (value.length === 0 || value.length > maxLength || !DNS_LABEL.test(value)) {
    fail(prop, `must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most ${maxLength} characters`, value);
  }
}

/** A DNS-1123 subdomain: Secret and StorageClass names, the cluster domain. */
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

/** A percentage threshold: 0 and 100 would make an alert that always or never fires. */
export function checkPercent(prop: string, value: number): void {
  if (!Number.isFinite(value) || value < 1 || value > 99) {
    fail(prop, 'must be a percentage between 1 and 99', value);
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A Prometheus label name (alert labels are Prometheus labels, not Kubernetes ones). */
export function checkPrometheusLabelName(prop: string, value: string): void {
  if (!LABEL_NAME.test(value) || value.startsWith('__')) {
    fail(prop, 'must be a Prometheus label name (letters, digits and \'_\', not starting with a digit or \'__\')', value);
  }
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
