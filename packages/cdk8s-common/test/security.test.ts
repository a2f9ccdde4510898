import { restrictedProblems } from '../../../tools/testing/pod-security';
import { containerSecurityContext, hardenedPod } from '../src';

describe('security contexts', () => {
  test('a pod with them passes the restricted profile (and the check can fail)', () => {
    const container = {
      name: 'c',
      image: 'example/app:1.0',
      securityContext: containerSecurityContext(1000),
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    };
    const pod = (spec: object) => [{ kind: 'Pod', metadata: { name: 'p' }, spec }];
    expect(restrictedProblems(pod({ ...hardenedPod(1000), containers: [container] }))).toEqual([]);
    expect(restrictedProblems(pod({ containers: [container] }))).toEqual(['Pod p: automountServiceAccountToken must be false']);
  });

  test('the user owns the volumes as their group, re-owned only on mismatch; no token, no Service links', () => {
    expect(hardenedPod(65532)).toEqual({
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(containerSecurityContext(65532)).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });
});
