import { ImagePullPolicy } from 'cdk8s-plus-33';
import { expectError } from './helpers';
import { MC_IMAGE, MINIO_IMAGE, resolveImage } from '../src/image';

describe('image', () => {
  test('defaults pin the last community releases by tag and digest', () => {
    expect(resolveImage('image', undefined, MINIO_IMAGE)).toEqual({
      image: 'quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z@sha256:14cea493d9a34af32f524e538b8346cf79f3321eff8e708c1e2960462bd8936e',
      pullPolicy: 'IfNotPresent',
    });
    expect(resolveImage('image', {}, MC_IMAGE).image)
      .toBe('quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z@sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727');
  });

  test('a new tag drops the default digest (it belongs to the default tag)', () => {
    expect(resolveImage('image', { tag: 'RELEASE.2025-04-22T22-12-26Z' }, MINIO_IMAGE).image).toBe('quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z');
  });

  test.each(Object.values(ImagePullPolicy))('pull policy %s', (pullPolicy) => {
    expect(resolveImage('image', { pullPolicy }, MINIO_IMAGE).pullPolicy).toBe(pullPolicy);
  });

  describe('validation', () => {
    test.each([
      ['a repository with a tag', { repository: 'quay.io/minio/minio:latest' }, "'image.repository' must be an image repository without tag or digest, e.g. registry.example.com/minio/minio, got 'quay.io/minio/minio:latest'"],
      ['an empty repository', { repository: '' }, "'image.repository' must be an image repository without tag or digest, e.g. registry.example.com/minio/minio, got ''"],
      ['latest', { tag: 'latest' }, "'image.tag' must be a fixed image tag (letters, digits, '_', '.', '-'; not latest), got 'latest'"],
      ['a tag with a slash', { tag: 'a/b' }, "'image.tag' must be a fixed image tag (letters, digits, '_', '.', '-'; not latest), got 'a/b'"],
      ['a short digest', { digest: 'sha256:abc' }, "'image.digest' must be 'sha256:' followed by 64 lowercase hex digits, got 'sha256:abc'"],
    ])('%s fails', (_case, options, message) => {
      expectError(() => resolveImage('image', options, MINIO_IMAGE), message);
    });
  });
});
