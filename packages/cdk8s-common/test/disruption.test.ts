import { Testing } from 'cdk8s';
import { expectError } from '../../../tools/testing/errors';
import { disruptionBudget, resolveMaxUnavailable } from '../src';

describe('disruption budgets', () => {
  test('one pod less than the fewest pods at most, one by default', () => {
    expect(resolveMaxUnavailable('maxUnavailable', undefined, 4, 'replicas')).toBe(1);
    expect(resolveMaxUnavailable('maxUnavailable', 3, 4, 'replicas')).toBe(3);
  });

  test('a single pod (or none) gets no budget', () => {
    expect(resolveMaxUnavailable('maxUnavailable', undefined, 1, 'replicas')).toBeUndefined();
    expect(resolveMaxUnavailable('maxUnavailable', undefined, 0, 'replicas')).toBeUndefined();
  });

  test('the budget lets pods that are not ready go, so they never block a drain', () => {
    const chart = Testing.chart();
    disruptionBudget(chart, 'Budget', { name: 'web' }, { app: 'web' }, 2);
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web' },
      spec: { maxUnavailable: 2, selector: { matchLabels: { app: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    }]);
  });

  describe('validation', () => {
    test.each([
      [4, 4, 'replicas', "'maxUnavailable' must be a whole number between 1 and 3, below the 4 pods of 'replicas', so that a drain never takes them all, got 4"],
      [0, 2, 'autoscaling.minReplicas', "'maxUnavailable' must be a whole number between 1 and 1, below the 2 pods of 'autoscaling.minReplicas', so that a drain never takes them all, got 0"],
      [1.5, 3, 'replicas', "'maxUnavailable' must be a whole number between 1 and 2, below the 3 pods of 'replicas', so that a drain never takes them all, got 1.5"],
      [1, 1, 'replicas', "'maxUnavailable' needs at least 2 pods, and 'replicas' is 1: no budget can keep one of them running; leave it out, got 1"],
    ])('%p of %p pods fails', (maxUnavailable, pods, podsProp, message) => {
      expectError(() => resolveMaxUnavailable('maxUnavailable', maxUnavailable, pods, podsProp), message);
    });
  });
});
