import { Duration } from 'cdk8s';
import { Minio, MinioProps, MinioTopology } from '../src';
import { deployMinio, envOf, expectError, Json, named, only } from './helpers';

function deploy(props: Partial<MinioProps> = {}): { minio: Minio; objects: Json[] } {
  return deployMinio({ buckets: [{ name: 'site' }], ...props });
}

describe('bucket job', () => {
  test('waits, creates the buckets and cleans up after itself, with bounded retries and deadline', () => {
    // GIVEN / WHEN
    const { objects } = deploy({ buckets: [{ name: 'site', versioning: true }, { name: 'logs' }] });
    const job = only(objects, 'Job');
    const pod = job.spec.template.spec;
    const container = pod.containers[0];
    // THEN
    expect(job.metadata.name).toMatch(/^minio-buckets-[0-9a-f]{8}$/);
    expect(job.spec.backoffLimit).toBe(4);
    expect(job.spec.activeDeadlineSeconds).toBe(900);
    expect(job.spec.ttlSecondsAfterFinished).toBe(3600);
    expect(pod.restartPolicy).toBe('Never');
    expect(container.image).toBe('quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z@sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727');
    expect(container.command.slice(0, 2)).toEqual(['/bin/bash', '-c']);
    const script: string = container.command[2];
    expect(script).toContain('/minio/health/ready');
    expect(script).toContain("mc mb --ignore-existing 'minio/site'\nmc version enable 'minio/site'\nmc mb --ignore-existing 'minio/logs'\n");
    expect(script).not.toContain("version enable 'minio/logs'");
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } });
  });

  test('takes the credentials and its settings from the environment, and writes only to /tmp', () => {
    const { objects } = deploy();
    const container = only(objects, 'Job').spec.template.spec.containers[0];
    expect(envOf(container)).toEqual({
      MINIO_HOST: 'minio.storage.svc.cluster.local',
      MINIO_PORT: '9000',
      READY_ATTEMPTS: '60',
      READY_INTERVAL_SECONDS: '5',
      READY_TIMEOUT_SECONDS: '5',
      MINIO_ROOT_USER: { secretKeyRef: { name: 'minio-root', key: 'accessKey' } },
      MINIO_ROOT_PASSWORD: { secretKeyRef: { name: 'minio-root', key: 'secretKey' } },
      MC_CONFIG_DIR: '/tmp/.mc',
      HOME: '/tmp',
    });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(only(objects, 'Job').spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test('may reach MinIO and DNS, and nothing may reach it', () => {
    const { minio, objects } = deploy({ topology: MinioTopology.distributed({ replicas: 4 }) });
    const jobLabels = { 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'minio', 'app.kubernetes.io/component': 'bucket-job' };
    expect(only(objects, 'Job').spec.template.metadata.labels).toEqual(jobLabels);
    const policy = named(objects, 'NetworkPolicy', 'minio-buckets').spec;
    expect(policy.podSelector).toEqual({ matchLabels: jobLabels });
    expect(policy.policyTypes).toEqual(['Egress', 'Ingress']);
    expect(policy.ingress).toBeUndefined();
    expect(policy.egress[1]).toEqual({
      to: [{ podSelector: { matchLabels: minio.selectorLabels }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } } }],
      ports: [{ protocol: 'TCP', port: 9000 }],
    });
    expect(named(objects, 'NetworkPolicy', 'minio').spec.ingress).toContainEqual({
      from: [{ podSelector: { matchLabels: jobLabels } }], ports: [{ protocol: 'TCP', port: 9000 }],
    });
  });

  test('the name changes with the configuration, so a changed bucket list runs again', () => {
    const name = (props: Partial<MinioProps>) => only(deploy(props).objects, 'Job').metadata.name;
    expect(name({ buckets: [{ name: 'site' }] })).toBe(name({ buckets: [{ name: 'site' }] }));
    expect(name({ buckets: [{ name: 'site' }] })).not.toBe(name({ buckets: [{ name: 'site', versioning: true }] }));
    expect(name({ buckets: [{ name: 'site' }] })).not.toBe(name({ buckets: [{ name: 'site' }, { name: 'logs' }] }));
    expect(name({ buckets: [{ name: 'site' }] })).not.toBe(name({ bucketJob: { image: { tag: 'RELEASE.2025-07-23T15-54-02Z' } } }));
    expect(name({ buckets: [{ name: 'site' }] })).not.toBe(name({ bucketJob: { backoffLimit: 2 } }));
    expect(name({ buckets: [{ name: 'site' }] })).not.toBe(name({ imagePullSecrets: ['pull'] }));
  });

  test('settings override the defaults', () => {
    const { objects } = deploy({
      imagePullSecrets: ['pull'],
      bucketJob: {
        backoffLimit: 1,
        activeDeadline: Duration.minutes(5),
        ttlAfterFinished: Duration.minutes(10),
        readinessAttempts: 10,
        readinessInterval: Duration.seconds(3),
        image: { repository: 'registry.example.com/mc' },
      },
    });
    const job = only(objects, 'Job');
    expect([job.spec.backoffLimit, job.spec.activeDeadlineSeconds, job.spec.ttlSecondsAfterFinished]).toEqual([1, 300, 600]);
    const container = job.spec.template.spec.containers[0];
    expect(envOf(container).READY_ATTEMPTS).toBe('10');
    expect(envOf(container).READY_INTERVAL_SECONDS).toBe('3');
    expect(container.image).toMatch(/^registry\.example\.com\/mc:RELEASE\.2025-08-13T08-35-41Z@sha256:/);
    expect(job.spec.template.spec.imagePullSecrets).toEqual([{ name: 'pull' }]);
  });

  test('no buckets, no job', () => {
    expect(deploy({ buckets: [] }).objects.some((o) => o.kind === 'Job')).toBe(false);
    expect(deploy({ buckets: [] }).minio.bucketJob).toBeUndefined();
  });

  describe('validation', () => {
    const attempt = (props: Partial<MinioProps>) => () => deploy(props);

    test.each([
      ['a bad name', { buckets: [{ name: 'Site' }] }, "'buckets[0].name' may only contain lowercase letters, digits, '.' and '-', got 'Site'"],
      ['a repeated name', { buckets: [{ name: 'site' }, { name: 'site' }] }, "'buckets[1].name' must not repeat an earlier bucket, got 'site'"],
      ['a negative backoff limit', { bucketJob: { backoffLimit: -1 } }, "'bucketJob.backoffLimit' must be a whole number between 0 and 100, got -1"],
      ['no readiness attempt', { bucketJob: { readinessAttempts: 0 } }, "'bucketJob.readinessAttempts' must be a whole number between 1 and 10000, got 0"],
      ['a zero deadline', { bucketJob: { activeDeadline: Duration.seconds(0) } }, "'bucketJob.activeDeadline' must be a whole number of seconds, at least 1, got '0s'"],
      ['a sub-second interval', { bucketJob: { readinessInterval: Duration.millis(500) } }, "'bucketJob.readinessInterval' must be a whole number of seconds, at least 1, got '0.5s'"],
      ['a deadline shorter than the readiness wait', { bucketJob: { activeDeadline: Duration.minutes(10) } },
        "'bucketJob.activeDeadline' must be longer than the longest readiness wait ('bucketJob.readinessAttempts' × ('bucketJob.readinessInterval' + 5s per probe) = 600s), got '600s'"],
      ['a moving mc tag', { bucketJob: { image: { tag: 'latest' } } }, "'bucketJob.image.tag' must be a fixed image tag (letters, digits, '_', '.', '-'; not latest), got 'latest'"],
    ])('%s fails', (_case, props, message) => {
      expectError(attempt(props as Partial<MinioProps>), message);
    });
  });
});
