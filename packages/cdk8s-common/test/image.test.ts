import { ImagePullPolicy } from 'cdk8s-plus-33';
import { expectError } from '../../../tools/testing/errors';
import { resolveImage } from '../src';

const PINNED = { repository: 'quay.io/minio/minio', tag: 'RELEASE.2025-09-07T16-13-09Z', digest: `sha256:${'a'.repeat(64)}` };
const TAGGED = { repository: 'node', tag: '22.23.3-alpine' };

describe('image', () => {
  test('defaults: by tag and digest, or by tag alone', () => {
    expect(resolveImage('image', undefined, PINNED)).toEqual({ image: `quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z@sha256:${'a'.repeat(64)}`, pullPolicy: 'IfNotPresent' });
    expect(resolveImage('image', {}, TAGGED).image).toBe('node:22.23.3-alpine');
  });

  test('a mirror by repository alone keeps the default tag and digest', () => {
    expect(resolveImage('image', { repository: 'registry.example.com:5000/mirror/minio' }, PINNED).image)
      .toBe(`registry.example.com:5000/mirror/minio:RELEASE.2025-09-07T16-13-09Z@sha256:${'a'.repeat(64)}`);
  });

  test('a new tag drops the default digest (it belongs to the default tag); a digest of its own pins it', () => {
    expect(resolveImage('image', { tag: 'RELEASE.2025-04-22T22-12-26Z' }, PINNED).image).toBe('quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z');
    expect(resolveImage('image', { tag: '24.1.0-alpine', digest: `sha256:${'b'.repeat(64)}` }, TAGGED).image).toBe(`node:24.1.0-alpine@sha256:${'b'.repeat(64)}`);
  });

  test.each(Object.values(ImagePullPolicy))('pull policy %s', (pullPolicy) => {
    expect(resolveImage('image', { pullPolicy }, PINNED).pullPolicy).toBe(pullPolicy);
  });

  describe('validation', () => {
    test.each([
      ['a repository with a tag', { repository: 'quay.io/minio/minio:latest' }, "'image.repository' must be an image repository without tag or digest, e.g. registry.example.com/mirror/app, got 'quay.io/minio/minio:latest'"],
      ['an empty repository', { repository: '' }, "'image.repository' must be an image repository without tag or digest, e.g. registry.example.com/mirror/app, got ''"],
      ['latest', { tag: 'latest' }, "'image.tag' must be a fixed image tag (letters, digits, '_', '.', '-'; not latest), got 'latest'"],
      ['a tag with a slash', { tag: 'a/b' }, "'image.tag' must be a fixed image tag (letters, digits, '_', '.', '-'; not latest), got 'a/b'"],
      ['a short digest', { digest: 'sha256:abc' }, "'image.digest' must be 'sha256:' followed by 64 lowercase hex digits, got 'sha256:abc'"],
    ])('%s fails', (_case, options, message) => {
      expectError(() => resolveImage('image', options, PINNED), message);
    });
  });
});
