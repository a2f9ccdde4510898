import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { expectError } from '../../../tools/testing/errors';
import { resolveName, resolveNamespace } from '../src';

describe('names and namespaces', () => {
  test('a given name, or a unique one from the construct path, at most 40 characters', () => {
    const chart = Testing.chart();
    expect(resolveName(new Construct(chart, 'A'), 'site')).toBe('site');
    expect(resolveName(new Construct(chart, 'WithAVeryLongConstructIdThatGoesOnAndOn'), undefined)).toMatch(/^withaverylongconstructidthatgoe-c8[0-9a-f]{6}$/);
    expectError(() => resolveName(new Construct(chart, 'B'), 'x'.repeat(41)),
      `'name' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 40 characters, got '${'x'.repeat(41)}'`);
  });

  test('a given namespace, else the chart\'s, else the fallback', () => {
    const app = Testing.app();
    const inChart = new Construct(new Chart(app, 'a', { namespace: 'apps' }), 'W');
    const bare = new Construct(new Chart(app, 'b'), 'W');
    expect(resolveNamespace(inChart, 'web')).toBe('web');
    expect(resolveNamespace(inChart, undefined)).toBe('apps');
    expect(resolveNamespace(bare, undefined, 'default')).toBe('default');
    expect(resolveNamespace(bare, undefined)).toBeUndefined();
    expectError(() => resolveNamespace(bare, 'Web'),
      "'namespace' must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit) of at most 63 characters, got 'Web'");
  });
});
