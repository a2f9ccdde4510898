/**
 * The users the pods run as (the restricted profile itself is shared with @s3www-eks/minio): the
 * s3www image is FROM scratch without a USER line (it would run as root), and the Node.js image's
 * `node` user is UID 1000.
 */

/** UID and GID of the s3www container: any non-root ID works for a static binary. */
export const WEB_USER = 65532;
/** UID and GID of the `node` user of the official Node.js images. */
export const SEEDER_USER = 1000;

/** Where the Secret's keys are mounted as files (`accessKey`, `secretKey`). */
export const CREDENTIALS_DIR = '/etc/s3www/credentials';
