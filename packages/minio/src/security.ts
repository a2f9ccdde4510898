/**
 * The user every MinIO and mc container runs as: both images work as an arbitrary non-root user
 * as long as the few paths they write to are volumes. The restricted profile itself is shared with
 * @s3www-eks/s3www.
 */

/** The non-root user and group of every container; also the owner group of the data volumes. */
export const RUN_AS = 1000;
