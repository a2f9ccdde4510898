/**
 * The shell script of the bucket job, run by bash in the mc image. It takes everything it needs
 * from the environment (MINIO_HOST, MINIO_PORT, READY_ATTEMPTS, READY_INTERVAL_SECONDS,
 * READY_TIMEOUT_SECONDS, the root credentials and each user's keys from their Secrets) so that no
 * credential is part of the pod spec, its args or a process list: mc reads keys from stdin.
 */

/** One bucket to create. */
export interface BucketSpec {
  readonly name: string;
  readonly versioning: boolean;
}

/** One user to create, with its one policy. */
export interface UserSpec {
  /** The MinIO policy, the only one the user keeps. */
  readonly policyName: string;
  /** Its document (JSON, without single quotes). */
  readonly policyDocument: string;
  /** Names of the environment variables that hold the user's access key and secret key. */
  readonly accessKeyVariable: string;
  readonly secretKeyVariable: string;
  /** What the user may do, for the log. */
  readonly summary: string;
}

/**
 * Creates or updates a user and leaves it exactly one policy: (re)creates the policy, adds the user
 * (an existing one gets the secret key again), attaches the policy (mc accepts an attached one),
 * then detaches every other policy the user has, e.g. one of an earlier id or attached by hand.
 */
const USER_FUNCTION = [
  'user() {',
  '  local policy="$1" document="$2" access="${!3:-}" secret="${!4:-}" summary="$5" info attached="" other',
  '  if [ -z "${access}" ] || [ -z "${secret}" ]; then',
  '    echo "the user of policy ${policy} has no keys: $3 and $4 must hold the access key and secret key of its Secret" >&2',
  '    return 1',
  '  fi',
  '  local re=\'"policyName":"([^"]*)"\'',
  '  printf \'%s\' "${document}" | mc admin policy create minio "${policy}" /dev/stdin >/dev/null',
  '  printf \'%s\\n%s\\n\' "${access}" "${secret}" | mc admin user add minio >/dev/null',
  '  mc admin policy attach minio "${policy}" --user "${access}" >/dev/null',
  '  info="$(mc admin user info minio "${access}" --json)"',
  '  if [[ "${info}" =~ ${re} ]]; then attached="${BASH_REMATCH[1]}"; fi',
  '  for other in ${attached//,/ }; do',
  '    if [ "${other}" != "${policy}" ]; then mc admin policy detach minio "${other}" --user "${access}" >/dev/null; fi',
  '  done',
  '  echo "user of policy ${policy} ready: ${summary}"',
  '}',
];

/** The script for a set of (already validated) buckets and users. */
export function bucketScript(buckets: BucketSpec[], users: UserSpec[] = []): string {
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
  if (users.length > 0) {
    lines.push(...USER_FUNCTION);
    for (const user of users) {
      lines.push(`user '${user.policyName}' '${user.policyDocument}' ${user.accessKeyVariable} ${user.secretKeyVariable} '${user.summary}'`);
    }
    lines.push(`echo "${users.length} user(s) ready"`);
  }
  return lines.join('\n') + '\n';
}
