import { ImageDefaults } from '@s3www-eks/cdk8s-common';
import { ImagePullPolicy } from 'cdk8s-plus-33';

/**
 * Where a container image comes from, the same way in every library of this project. Every field
 * is optional: leave them all out to run the pinned default, set `repository` alone to pull the
 * same image from your own mirror.
 */
export interface ImageOptions {
  /**
   * Image repository, with its registry, e.g. `registry.example.com/mirror/minio`.
   * @default - the component's upstream repository (`quay.io/minio/minio` for the server, `quay.io/minio/mc` for the bucket job)
   */
  readonly repository?: string;

  /**
   * Image tag. `latest` is refused: a moving tag makes two pods of one StatefulSet run different code.
   * @default - the component's pinned release (`RELEASE.2025-09-07T16-13-09Z` for the server, `RELEASE.2025-08-13T08-35-41Z` for mc)
   */
  readonly tag?: string;

  /**
   * Image digest (`sha256:` and 64 hex digits). The runtime pulls by digest, so a re-pushed tag cannot change what runs.
   * Keep it when your mirror copies the image as is (`crane copy`, `skopeo copy --all`, registry pull-through caches);
   * set yours when the mirror rebuilt or re-pushed it.
   * @default - the digest of the default tag when `tag` is left out; no digest (tag only) when you set `tag`
   */
  readonly digest?: string;

  /**
   * When the kubelet pulls the image.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: ImagePullPolicy;
}

/** The last community MinIO server release (its images are frozen upstream), by its multi-arch index digest. */
export const MINIO_IMAGE: ImageDefaults = {
  repository: 'quay.io/minio/minio',
  tag: 'RELEASE.2025-09-07T16-13-09Z',
  digest: 'sha256:14cea493d9a34af32f524e538b8346cf79f3321eff8e708c1e2960462bd8936e',
};

/** The mc release that shipped with the server above. */
export const MC_IMAGE: ImageDefaults = {
  repository: 'quay.io/minio/mc',
  tag: 'RELEASE.2025-08-13T08-35-41Z',
  digest: 'sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727',
};
