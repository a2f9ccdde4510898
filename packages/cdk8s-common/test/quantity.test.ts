import { expectError } from '../../../tools/testing/errors';
import { parseQuantity, positiveQuantity } from '../src';

describe('quantities', () => {
  test.each([
    ['250m', 0.25], ['1', 1], ['1.5', 1.5], ['.5', 0.5], ['2k', 2000], ['512Mi', 512 * 2 ** 20],
    ['10Gi', 10 * 2 ** 30], ['1Ti', 2 ** 40], ['1e3', 1000], ['1E-3', 0.001], ['+4', 4], ['-1m', -0.001], ['0Gi', 0],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 9);
  });

  test.each(['', 'NaN', 'NaNGi', '10GB', '1.2.3', 'Gi', '10 Gi', 'Infinity', '1gi'])('%j is malformed', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  describe('validation', () => {
    test('malformed', () => {
      expectError(() => positiveQuantity('storage.size', '10GB'), "'storage.size' must be a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi, got '10GB'");
    });
    test.each(['0', '-1', '0m'])('%s is not positive', (text) => {
      expectError(() => positiveQuantity('resources.cpu.limit', text), `'resources.cpu.limit' must be greater than zero, got '${text}'`);
    });
  });
});
