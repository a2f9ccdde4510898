import { expectError } from '../../../tools/testing/errors';
import { checkBucketName } from '../src';

describe('bucket names', () => {
  test.each(['abc', 'minio-data', 'site', 'my.site-2024', 'a'.repeat(63), '1bucket', 'logs.example.com', '1234.5.6.7'])('%s is valid', (name) => {
    expect(() => checkBucketName('name', name)).not.toThrow();
  });

  describe('validation', () => {
    test.each([
      ['ab', 'must be 3 to 63 characters long'],
      ['a'.repeat(64), 'must be 3 to 63 characters long'],
      ['My-Bucket', "may only contain lowercase letters, digits, '.' and '-'"],
      ['my_bucket', "may only contain lowercase letters, digits, '.' and '-'"],
      ['-bucket', 'must start and end with a letter or digit'],
      ['bucket.', 'must start and end with a letter or digit'],
      ['my..bucket', "must not contain '..', '.-' or '-.'"],
      ['my.-bucket', "must not contain '..', '.-' or '-.'"],
      ['192.168.5.4', 'must not be formatted as an IP address'],
      ['xn--bucket', "must not start with 'xn--', 'sthree-' or 'amzn-s3-demo-'"],
      ['sthree-bucket', "must not start with 'xn--', 'sthree-' or 'amzn-s3-demo-'"],
      ['bucket-s3alias', "must not end with '-s3alias', '--ol-s3', '.mrap', '--x-s3' or '--table-s3'"],
      ['bucket--ol-s3', "must not end with '-s3alias', '--ol-s3', '.mrap', '--x-s3' or '--table-s3'"],
    ])('%s: %s', (name, rule) => {
      expectError(() => checkBucketName('buckets[0].name', name), `'buckets[0].name' ${rule}, got '${name}'`);
    });
  });
});
