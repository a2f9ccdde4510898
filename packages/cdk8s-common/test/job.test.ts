import { Testing } from 'cdk8s';
import { runOnceJob, RunOnceJobProps } from '../src';

const props: RunOnceJobProps = {
  namePrefix: 'site-buckets-',
  hashLength: 8,
  namespace: 'storage',
  labels: { app: 'site', component: 'job' },
  podLabels: { app: 'site' },
  serviceAccountName: 'site',
  user: 1000,
  backoffLimit: 4,
  activeDeadlineSeconds: 900,
  ttlSecondsAfterFinished: 3600,
  container: { name: 'mc', image: { image: 'quay.io/minio/mc:RELEASE.1', pullPolicy: 'IfNotPresent' }, command: ['mc'] },
};

const render = (p: RunOnceJobProps) => {
  const chart = Testing.chart();
  runOnceJob(chart, 'Job', p);
  return Testing.synth(chart)[0];
};

describe('run-once Jobs', () => {
  test('one hardened container, bounded, never restarted in place', () => {
    const job = render(props);
    expect(job.metadata).toEqual({ name: expect.stringMatching(/^site-buckets-[0-9a-f]{8}$/), namespace: 'storage', labels: props.labels });
    expect(job.spec).toMatchObject({ backoffLimit: 4, activeDeadlineSeconds: 900, ttlSecondsAfterFinished: 3600 });
    const pod = job.spec.template.spec;
    expect(job.spec.template.metadata.labels).toEqual({ app: 'site' });
    expect(pod).toMatchObject({ restartPolicy: 'Never', serviceAccountName: 'site', automountServiceAccountToken: false, enableServiceLinks: false });
    expect(pod.containers).toEqual([{
      name: 'mc',
      image: 'quay.io/minio/mc:RELEASE.1',
      imagePullPolicy: 'IfNotPresent',
      command: ['mc'],
      securityContext: expect.objectContaining({ runAsUser: 1000, readOnlyRootFilesystem: true }),
    }]);
  });

  test('its name changes with anything that shapes it, and with what it also depends on', () => {
    const name = (p: Partial<RunOnceJobProps>) => render({ ...props, ...p }).metadata.name;
    expect(name({})).toBe(name({}));
    expect(name({ backoffLimit: 3 })).not.toBe(name({}));
    expect(name({ container: { ...props.container, command: ['mc', 'ls'] } })).not.toBe(name({}));
    expect(name({ labels: { app: 'other' } })).not.toBe(name({}));
    expect(name({ alsoChangesWith: 'program v2' })).not.toBe(name({}));
    expect(name({ hashLength: 10 })).toMatch(/^site-buckets-[0-9a-f]{10}$/);
  });
});
