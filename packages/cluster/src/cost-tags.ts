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

/** The characters AWS accepts in tag keys and values: letters, digits, spaces and `_ . : / = + - @`. */
const TAG_CHARS = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]';
const TAG_KEY = new RegExp(`^(?!aws:)${TAG_CHARS}{1,128}$`, 'u');
const TAG_VALUE = new RegExp(`^${TAG_CHARS}{1,256}$`, 'u');

/** Throws unless the value is an AWS tag key (not the reserved `aws:` prefix). */
export function checkTagKey(prop: string, key: string): void {
  if (!Token.isUnresolved(key) && !TAG_KEY.test(key)) {
    throw new Error(`'${prop}' must be 1-128 letters, digits, spaces or _ . : / = + - @ not starting with 'aws:' (an AWS tag key), got '${key}'`);
  }
}

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
