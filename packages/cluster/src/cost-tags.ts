import { Token } from 'aws-cdk-lib';

/**
 * Cost allocation tags. The keys are fixed (`project`, `environment`, `cost-center`) so every part of the
 * system reports under the same keys in Cost Explorer; activate them as cost allocation tags in the Billing console.
 */
export interface CostTags {
  /** Value of the `project` tag, e.g. `s3www`. */
  readonly project: string;

  /** Value of the `environment` tag, e.g. `dev`, `staging` or `prod`. */
  readonly environment: string;

  /** Value of the `cost-center` tag, e.g. `cc-1234`. */
  readonly costCenter: string;
}

/** What AWS accepts in a tag value (letters, digits, spaces and `_ . : / = + - @`, at most 256). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/** Throws unless the value is a non-empty AWS tag value. */
export function checkTagValue(prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !TAG_VALUE.test(value)) {
    throw new Error(`'${prop}' must be 1-256 letters, digits, spaces or _ . : / = + - @ (an AWS tag value), got '${value}'`);
  }
}

/** The cost tags by tag key, validated. */
export function costTagMap(tags: CostTags): Record<string, string> {
  checkTagValue('costTags.project', tags.project);
  checkTagValue('costTags.environment', tags.environment);
  checkTagValue('costTags.costCenter', tags.costCenter);
  return { 'project': tags.project, 'environment': tags.environment, 'cost-center': tags.costCenter };
}
