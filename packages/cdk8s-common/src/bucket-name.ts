import { fail } from './validation';

const RULES: Array<[RegExp, string]> = [
  [/^.{3,63}$/, 'must be 3 to 63 characters long'],
  [/^[a-z0-9.-]*$/, 'may only contain lowercase letters, digits, \'.\' and \'-\''],
  [/^[a-z0-9].*[a-z0-9]$/, 'must start and end with a letter or digit'],
  [/^(?!.*(\.\.|\.-|-\.))/, 'must not contain \'..\', \'.-\' or \'-.\''],
  [/^(?!\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$)/, 'must not be formatted as an IP address'],
  [/^(?!xn--|sthree-|amzn-s3-demo-)/, 'must not start with \'xn--\', \'sthree-\' or \'amzn-s3-demo-\''],
  [/(?<!-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/, 'must not end with \'-s3alias\', \'--ol-s3\', \'.mrap\', \'--x-s3\' or \'--table-s3\''],
];

/**
 * Checks a bucket name against the S3 naming rules for general purpose buckets. S3-compatible
 * servers enforce a subset; keeping to all of them keeps the data portable between MinIO and AWS S3.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export function checkBucketName(prop: string, name: string): void {
  for (const [pattern, rule] of RULES) {
    if (!pattern.test(name)) fail(prop, rule, name);
  }
}
