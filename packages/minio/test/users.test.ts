import { Testing } from 'cdk8s';
import { BucketAccess, Minio, MinioProps } from '../src';
import { envOf, expectError, Json, only, synthValid } from './helpers';

/** A Minio with the buckets `site` and `logs`, its grants made by `grant`, synthesized and checked. */
function withGrants(grant: (minio: Minio) => void, props: Partial<MinioProps> = {}): { minio: Minio; objects: Json[] } {
  const chart = Testing.chart();
  const minio = new Minio(chart, 'Minio', {
    credentials: { secretName: 'minio-root' }, name: 'minio', namespace: 'storage', buckets: [{ name: 'site' }, { name: 'logs' }], ...props,
  });
  grant(minio);
  return { minio, objects: synthValid(chart) };
}

const jobContainer = (objects: Json[]): Json => only(objects, 'Job').spec.template.spec.containers[0];
const script = (objects: Json[]): string => jobContainer(objects).command[2];

describe('grants', () => {
  test('grantRead: a user that may list the bucket and get its objects, nothing else', () => {
    // GIVEN / WHEN
    let user;
    const { objects } = withGrants((minio) => {
      user = minio.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www-minio' } });
    });
    // THEN
    expect(user).toEqual({
      id: 'Site',
      bucket: 'site',
      access: BucketAccess.READ,
      credentials: { secretName: 's3www-minio', accessKeyKey: 'accessKey', secretKeyKey: 'secretKey' },
      policyName: 'minio-site',
      actions: ['s3:ListBucket', 's3:GetObject'],
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::site'] },
          { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::site/*'] },
        ],
      }),
    });
    expect(script(objects)).toContain(`user 'minio-site' '${user!.policyDocument}' USER_0_ACCESS_KEY USER_0_SECRET_KEY `
      + '\'read on bucket site (s3:ListBucket, s3:GetObject)\'\necho "1 user(s) ready"\n');
  });

  test('grantReadWrite: what a verified multipart upload and its skip check need, without delete', () => {
    let user;
    withGrants((minio) => {
      user = minio.grantReadWrite('Seeder', { bucket: 'site', credentials: { secretName: 'seeder-minio', accessKeyKey: 'user', secretKeyKey: 'password' } });
    });
    expect(user).toMatchObject({
      access: BucketAccess.READ_WRITE,
      policyName: 'minio-seeder',
      credentials: { secretName: 'seeder-minio', accessKeyKey: 'user', secretKeyKey: 'password' },
      actions: ['s3:ListBucket', 's3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'],
    });
    expect(JSON.parse(user!.policyDocument).Statement).toEqual([
      { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::site'] },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'], Resource: ['arn:aws:s3:::site/*'] },
    ]);
  });

  test('a read grant never deletes, whatever an untyped caller passes', () => {
    let user;
    withGrants((minio) => {
      user = minio.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www' }, allowDelete: true } as never);
    });
    expect(user!.actions).toEqual(['s3:ListBucket', 's3:GetObject']);
  });

  test('deleting only when asked', () => {
    let user;
    withGrants((minio) => {
      user = minio.grantReadWrite('Pruner', { bucket: 'logs', credentials: { secretName: 'pruner' }, allowDelete: true });
    });
    expect(user!.actions).toEqual(['s3:ListBucket', 's3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload', 's3:DeleteObject']);
    expect(JSON.parse(user!.policyDocument).Statement[1].Resource).toEqual(['arn:aws:s3:::logs/*']);
  });

  test('the bucket Job reads each user\'s keys from its Secret, never a value, and keeps the root credentials', () => {
    const { minio, objects } = withGrants((m) => {
      m.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www-minio' } });
      m.grantReadWrite('Seeder', { bucket: 'site', credentials: { secretName: 'seeder-minio', accessKeyKey: 'user', secretKeyKey: 'password' } });
    });
    const env = envOf(jobContainer(objects));
    expect(env).toMatchObject({
      MINIO_ROOT_USER: { secretKeyRef: { name: 'minio-root', key: 'accessKey' } },
      MINIO_ROOT_PASSWORD: { secretKeyRef: { name: 'minio-root', key: 'secretKey' } },
      USER_0_ACCESS_KEY: { secretKeyRef: { name: 's3www-minio', key: 'accessKey' } },
      USER_0_SECRET_KEY: { secretKeyRef: { name: 's3www-minio', key: 'secretKey' } },
      USER_1_ACCESS_KEY: { secretKeyRef: { name: 'seeder-minio', key: 'user' } },
      USER_1_SECRET_KEY: { secretKeyRef: { name: 'seeder-minio', key: 'password' } },
    });
    expect(minio.users.map((u) => u.policyName)).toEqual(['minio-site', 'minio-seeder']);
    // The MinIO server itself reads the root credentials only.
    const server = only(objects, 'StatefulSet').spec.template.spec.containers[0];
    expect(JSON.stringify(server.env)).not.toMatch(/s3www-minio|seeder-minio/);
  });

  test('each grant replaces the Job with one whose name hashes the users too', () => {
    // GIVEN
    const chart = Testing.chart();
    const minio = new Minio(chart, 'Minio', { credentials: { secretName: 'minio-root' }, name: 'minio', buckets: [{ name: 'site' }] });
    const before = minio.bucketJob!.name;
    // WHEN
    minio.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www-minio' } });
    // THEN
    const objects = synthValid(chart);
    expect(objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name)).toEqual([minio.bucketJob!.name]);
    expect(minio.bucketJob!.name).toMatch(/^minio-buckets-[0-9a-f]{8}$/);
    expect(minio.bucketJob!.name).not.toBe(before);
    const readWrite = withGrants((m) => m.grantReadWrite('Site', { bucket: 'site', credentials: { secretName: 's3www-minio' } }));
    const read = withGrants((m) => m.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www-minio' } }));
    expect(readWrite.minio.bucketJob!.name).not.toBe(read.minio.bucketJob!.name);
  });

  test('no grant, no user in the Job', () => {
    const { objects } = withGrants(() => undefined);
    expect(script(objects)).not.toContain('user');
    expect(Object.keys(envOf(jobContainer(objects))).filter((k) => k.startsWith('USER_'))).toEqual([]);
  });

  describe('validation', () => {
    test.each([
      ['a bucket the Minio does not create', (m: Minio) => m.grantRead('Site', { bucket: 'other', credentials: { secretName: 's3www' } }),
        "'grantRead(Site).bucket' must be one of the buckets this Minio creates ('site', 'logs'): declare it in 'buckets', got 'other'"],
      ['the root credentials\' Secret', (m: Minio) => m.grantReadWrite('Seeder', { bucket: 'site', credentials: { secretName: 'minio-root' } }),
        "'grantReadWrite(Seeder).credentials.secretName' must not be the Secret of the root credentials: each user reads a Secret of its own, got 'minio-root'"],
      ['a bad Secret name', (m: Minio) => m.grantRead('Site', { bucket: 'site', credentials: { secretName: 'S3www' } }),
        "'grantRead(Site).credentials.secretName' must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters), got 'S3www'"],
      ['one key for both', (m: Minio) => m.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www', accessKeyKey: 'k', secretKeyKey: 'k' } }),
        "'grantRead(Site).credentials.secretKeyKey' must differ from 'grantRead(Site).credentials.accessKeyKey', got 'k'"],
      ['an id without a letter or digit', (m: Minio) => m.grantRead('--', { bucket: 'site', credentials: { secretName: 's3www' } }),
        "'grantRead(--) policy name (<minio name>-<id in lowercase>)' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 63 characters, got 'minio-'"],
      ['a Secret another user reads', (m: Minio) => {
        m.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www' } });
        m.grantReadWrite('Seeder', { bucket: 'site', credentials: { secretName: 's3www' } });
      }, "'grantReadWrite(Seeder).credentials.secretName' must not be the Secret of the user 'Site': each user reads a Secret of its own, got 's3www'"],
      ['an id taken', (m: Minio) => {
        m.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www' } });
        m.grantRead('Site', { bucket: 'logs', credentials: { secretName: 'other' } });
      }, 'grantRead(Site): the id is taken by an earlier grant; give each user an id of its own'],
      ['an id that gives the same policy name', (m: Minio) => {
        m.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www' } });
        m.grantRead('SITE', { bucket: 'logs', credentials: { secretName: 'other' } });
      }, "grantRead(SITE): the id gives the policy name 'minio-site' of the user 'Site' (ids that differ only in case or punctuation); choose another id"],
    ])('%s fails', (_case, grant, message) => {
      expectError(() => withGrants(grant), message);
    });

    test('a Minio without buckets has none to grant', () => {
      expectError(() => withGrants((m) => m.grantRead('Site', { bucket: 'site', credentials: { secretName: 's3www' } }), { buckets: [] }),
        "'grantRead(Site).bucket' must be one of the buckets this Minio creates (none): declare it in 'buckets', got 'site'");
    });
  });
});
