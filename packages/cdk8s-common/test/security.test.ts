import { restrictedProblems } from '../../../tools/testing/pod-security';
import { containerSecurityContext, hardenedPod, RUN_AS } from '../src/security';

describe('security contexts', () => {
  test('a pod with them passes the restricted profile (and the check can fail)', () => {
    const container = {
      name: 'c',
      image: 'example/app:1.0',
      securityContext: containerSecurityContext(),
      resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    };
    const pod = (spec: object) => [{ kind: 'Pod', metadata: { name: 'p' }, spec }];
    expect(restrictedProblems(pod({ ...hardenedPod(), containers: [container] }))).toEqual([]);
    expect(restrictedProblems(pod({ containers: [container] }))).toEqual(['Pod p: automountServiceAccountToken must be false']);
  });

  test('volumes are group-owned by the run-as group and re-owned only on mismatch', () => {
    expect(hardenedPod().securityContext).toMatchObject({ fsGroup: RUN_AS, runAsGroup: RUN_AS, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(RUN_AS).toBe(1000);
  });
});
