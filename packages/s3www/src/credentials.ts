/**
 * S3 credentials read from a Kubernetes Secret that already exists in the namespace, the same way
 * in every library of this project. The construct never takes the values themselves: the keys are
 * mounted as files, so no credential is ever written into a manifest or the environment.
 */
export interface S3Credentials {
  /** Name of the Secret, in the namespace of the pods that read it. */
  readonly secretName: string;

  /**
   * Key of the Secret's data that holds the access key.
   * @default 'accessKey'
   */
  readonly accessKeyKey?: string;

  /**
   * Key of the Secret's data that holds the secret key.
   * @default 'secretKey'
   */
  readonly secretKeyKey?: string;
}
