import { Token } from 'aws-cdk-lib';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Throws unless the value is a Kubernetes DNS-1123 label (namespaces, most object names). */
export function checkDnsLabel(prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !DNS_LABEL.test(value)) {
    throw new Error(`'${prop}' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got '${value}'`);
  }
}

/** Throws unless the value is a Kubernetes DNS-1123 subdomain (service account names). */
export function checkDnsSubdomain(prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !DNS_SUBDOMAIN.test(value)) {
    throw new Error(`'${prop}' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got '${value}'`);
  }
}
