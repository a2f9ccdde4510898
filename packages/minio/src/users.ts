/**
 * MinIO users of least privilege: one user per consumer, with a policy limited to one bucket. The
 * bucket Job creates them with `mc` from the consumers' own Secrets, so a consumer never holds the
 * root credentials.
 */
import { checkDnsLabel, fail, ResolvedCredentials, resolveCredentials } from '@s3www-eks/cdk8s-common';
import { S3Credentials } from './credentials';

/** Options of {@link Minio.grantRead}. */
export interface GrantReadOptions {
  /** The bucket the user may use: one of the Minio's `buckets`. */
  readonly bucket: string;

  /**
   * The existing Secret holding the user's access key (at least 3 characters) and secret key (8 to
   * 40 characters). The bucket Job creates the MinIO user from it, and sets its secret key again on
   * every run; the consumer reads the same Secret (e.g. as the `credentials` of an `S3Backend` of
   * `@s3www-eks/s3www`). Each user needs a Secret of its own, and none may be the root credentials'.
   */
  readonly credentials: S3Credentials;
}

/** Options of {@link Minio.grantReadWrite}. */
export interface GrantReadWriteOptions extends GrantReadOptions {
  /**
   * Also lets the user delete objects (`s3:DeleteObject`).
   * @default false
   */
  readonly allowDelete?: boolean;
}

/** What a user may do on its bucket. */
export enum BucketAccess {
  /** List the bucket and read objects. */
  READ = 'read',
  /** Read, and write objects as a verified multipart upload does, without deleting. */
  READ_WRITE = 'read-write',
}

/** S3 actions on the bucket itself, by access. */
const BUCKET_ACTIONS: Record<BucketAccess, string[]> = {
  [BucketAccess.READ]: ['s3:ListBucket'],
  [BucketAccess.READ_WRITE]: ['s3:ListBucket'],
};

/**
 * S3 actions on the bucket's objects, by access. READ_WRITE is what a verified multipart upload
 * and its skip check need (the seeder of `@s3www-eks/s3www`): HeadObject and GetObject
 * (`s3:GetObject`), PutObject, CreateMultipartUpload, UploadPart and CompleteMultipartUpload
 * (`s3:PutObject`), AbortMultipartUpload, and the object's tags (Get/PutObjectTagging).
 */
const OBJECT_ACTIONS: Record<BucketAccess, string[]> = {
  [BucketAccess.READ]: ['s3:GetObject'],
  [BucketAccess.READ_WRITE]: ['s3:GetObject', 's3:GetObjectTagging', 's3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'],
};

/**
 * A MinIO user that the bucket Job creates, with one policy on one bucket and no other. Returned by
 * `Minio.grantRead()` and `Minio.grantReadWrite()`; hand its `credentials` to the consumer.
 */
export interface MinioUser {
  /** The id given to the grant. */
  readonly id: string;
  /** The bucket the user may use. */
  readonly bucket: string;
  /** What the user may do on it. */
  readonly access: BucketAccess;
  /** The Secret the user's keys are read from, with its keys filled in: what the consumer reads. */
  readonly credentials: S3Credentials;
  /** Name of the MinIO policy, the user's only one: `<minio name>-<id in lowercase>`. */
  readonly policyName: string;
  /** The S3 actions the policy allows: on the bucket (`s3:ListBucket`), then on its objects. */
  readonly actions: string[];
  /** The policy document (JSON) the bucket Job creates. */
  readonly policyDocument: string;
}

/** What a grant is checked against. */
export interface GrantContext {
  /** Base name of the Minio, which prefixes the policy name. */
  readonly minioName: string;
  /** The Minio's buckets. */
  readonly buckets: string[];
  /** The root credentials, which no user may share. */
  readonly root: ResolvedCredentials;
  /** The users granted so far. */
  readonly users: MinioUser[];
}

/** Checks a grant and returns its user; `verb` names it in errors (e.g. `grantRead`). */
export function createUser(verb: string, id: string, access: BucketAccess, options: GrantReadWriteOptions, context: GrantContext): MinioUser {
  const where = (prop?: string) => `${verb}(${id})${prop ? `.${prop}` : ''}`;
  if (context.users.some((u) => u.id === id)) {
    throw new Error(`${where()}: the id is taken by an earlier grant; give each user an id of its own`);
  }
  if (!context.buckets.includes(options.bucket)) {
    const declared = context.buckets.length ? context.buckets.map((b) => `'${b}'`).join(', ') : 'none';
    fail(where('bucket'), `must be one of the buckets this Minio creates (${declared}): declare it in 'buckets'`, options.bucket);
  }
  const credentials = resolveCredentials(where('credentials'), options.credentials);
  if (credentials.secretName === context.root.secretName) {
    fail(where('credentials.secretName'), 'must not be the Secret of the root credentials: each user reads a Secret of its own', credentials.secretName);
  }
  const other = context.users.find((u) => u.credentials.secretName === credentials.secretName);
  if (other) {
    fail(where('credentials.secretName'), `must not be the Secret of the user '${other.id}': each user reads a Secret of its own`, credentials.secretName);
  }
  const policyName = `${context.minioName}-${id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
  checkDnsLabel(`${where()} policy name (<minio name>-<id in lowercase>)`, policyName);
  const same = context.users.find((u) => u.policyName === policyName);
  if (same) {
    throw new Error(`${where()}: the id gives the policy name '${policyName}' of the user '${same.id}' (ids that differ only in case or punctuation); choose another id`);
  }

  const objectActions = [...OBJECT_ACTIONS[access], ...(options.allowDelete ? ['s3:DeleteObject'] : [])];
  return {
    id,
    bucket: options.bucket,
    access,
    credentials,
    policyName,
    actions: [...BUCKET_ACTIONS[access], ...objectActions],
    policyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: BUCKET_ACTIONS[access], Resource: [`arn:aws:s3:::${options.bucket}`] },
        { Effect: 'Allow', Action: objectActions, Resource: [`arn:aws:s3:::${options.bucket}/*`] },
      ],
    }),
  };
}
