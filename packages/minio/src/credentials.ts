/**
 * S3 credentials read from a Kubernetes Secret that already exists in the namespace, the same way
 * in every library of this project. The construct never takes the values themselves, so no
 * credential is ever written into a manifest; create the Secret with your secret manager
 * (External Secrets, Sealed Secrets, `kubectl create secret generic ...`).
 */
export interface S3Credentials {
  /** Name of the Secret, in the namespace of the pods that read it. */
  readonly secretName: string;

  /**
   * Key of the Secret's data that holds the access key (the root user, or a user's access key; at least 3 characters).
   * @default 'accessKey'
   */
  readonly accessKeyKey?: string;

  /**
   * Key of the Secret's data that holds the secret key (the root password, or a user's secret key; 8 to 40 characters).
   * @default 'secretKey'
   */
  readonly secretKeyKey?: string;
}
