/**
 * Checks of this library's own props (the rest are shared with @s3www-eks/s3www). Each throws
 * `'prop' <rule>, got <value>`, so a bad value fails at `cdk8s synth`.
 */
import { checkBucketName, fail } from '@s3www-eks/cdk8s-common';

/** A percentage threshold: 0 and 100 would make an alert that always or never fires. */
export function checkPercent(prop: string, value: number): void {
  if (!Number.isFinite(value) || value < 1 || value > 99) {
    fail(prop, 'must be a percentage between 1 and 99', value);
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A Prometheus label name (alert labels are Prometheus labels, not Kubernetes ones). */
export function checkPrometheusLabelName(prop: string, value: string): void {
  if (!LABEL_NAME.test(value) || value.startsWith('__')) {
    fail(prop, 'must be a Prometheus label name (letters, digits and \'_\', not starting with a digit or \'__\')', value);
  }
}

/** A bucket MinIO can hold: the S3 naming rules, and not `minio`, which MinIO serves its own APIs under. */
export function checkMinioBucketName(prop: string, name: string): void {
  checkBucketName(prop, name);
  if (name === 'minio') fail(prop, 'must not be \'minio\', which MinIO reserves for its own endpoints', name);
}
