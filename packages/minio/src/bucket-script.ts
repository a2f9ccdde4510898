/**
 * The shell script of the bucket job, run by bash in the mc image. It takes everything it needs
 * from the environment (MINIO_HOST, MINIO_PORT, READY_ATTEMPTS, READY_INTERVAL_SECONDS,
 * READY_TIMEOUT_SECONDS and the root credentials from the Secret) so that no credential is part
 * of the pod spec, its args or a process list.
 */

/** One bucket to create. */
export interface BucketSpec {
  readonly name: string;
  readonly versioning: boolean;
}

/** The script for a set of (already validated) buckets. */
export function bucketScript(buckets: BucketSpec[]): string {
  const lines = [
    'set -euo pipefail',
    // bash's /dev/tcp speaks HTTP without curl, which the mc image does not ship; `timeout`
    // bounds each probe, since a connection to a dropped port would otherwise hang for minutes.
    'probe=\'exec 3<>"/dev/tcp/${MINIO_HOST}/${MINIO_PORT}" && printf "GET /minio/health/ready HTTP/1.1\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n" "${MINIO_HOST}" >&3 && read -r _ status _ <&3 && [ "${status}" = "200" ]\'',
    'ready() { timeout "${READY_TIMEOUT_SECONDS}" bash -c "${probe}"; }',
    'attempt=1',
    'until ready 2>/dev/null; do',
    '  if [ "${attempt}" -ge "${READY_ATTEMPTS}" ]; then',
    '    echo "MinIO at ${MINIO_HOST}:${MINIO_PORT} is not ready after ${attempt} attempts" >&2',
    '    exit 1',
    '  fi',
    '  echo "waiting for MinIO at ${MINIO_HOST}:${MINIO_PORT} (attempt ${attempt} of ${READY_ATTEMPTS})"',
    '  attempt=$((attempt + 1))',
    '  sleep "${READY_INTERVAL_SECONDS}"',
    'done',
    // Given only an alias and a URL, mc reads the keys from stdin; printf is a bash builtin.
    'printf \'%s\\n%s\\n\' "${MINIO_ROOT_USER}" "${MINIO_ROOT_PASSWORD}" | mc alias set --api s3v4 minio "http://${MINIO_HOST}:${MINIO_PORT}" >/dev/null',
  ];
  for (const bucket of buckets) {
    lines.push(`mc mb --ignore-existing 'minio/${bucket.name}'`);
    if (bucket.versioning) {
      lines.push(`mc version enable 'minio/${bucket.name}'`);
    }
  }
  lines.push(`echo "${buckets.length} bucket(s) ready"`);
  return lines.join('\n') + '\n';
}
