import { expectError } from './helpers';
import { consoleEnv } from '../src/console';

describe('console', () => {
  test('off: MINIO_BROWSER=off so MinIO serves no console on a random port', () => {
    expect(consoleEnv(undefined)).toEqual([{ name: 'MINIO_BROWSER', value: 'off' }]);
  });

  test('on: nothing to set, or the public redirect URL', () => {
    expect(consoleEnv({})).toEqual([]);
    expect(consoleEnv({ browserRedirectUrl: 'http://localhost:9001' })).toEqual([{ name: 'MINIO_BROWSER_REDIRECT_URL', value: 'http://localhost:9001' }]);
  });

  describe('validation', () => {
    test.each(['console.example.com', 'ftp://console.example.com', 'https://'])('%s is not a console URL', (url) => {
      expectError(() => consoleEnv({ browserRedirectUrl: url }), `'console.browserRedirectUrl' must be an http:// or https:// URL, got '${url}'`);
    });
  });
});
