import { ImagePullPolicy } from 'cdk8s-plus-33';
import { fail } from './validation';

/**
 * Where a container image comes from. Every field is optional: leave them all out to run the
 * pinned default, set `repository` alone to pull the same image from your own mirror.
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
   * @default - the upstream digest of the default tag when `tag` is left out; no digest (tag only) when you set `tag`
   */
  readonly digest?: string;

  /**
   * When the kubelet pulls the image.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: ImagePullPolicy;
}

/** The pinned default of one component. */
export interface ImageDefaults {
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
}

/**
 * The last community MinIO server release (images are frozen upstream). The digest is the
 * multi-arch index digest cited identically by several independent public repositories for
 * this tag on quay.io and docker.io; it could not be checked against the registry from here.
 */
export const MINIO_IMAGE: ImageDefaults = {
  repository: 'quay.io/minio/minio',
  tag: 'RELEASE.2025-09-07T16-13-09Z',
  digest: 'sha256:14cea493d9a34af32f524e538b8346cf79f3321eff8e708c1e2960462bd8936e',
};

/** The mc release that shipped with the server above; same provenance for its digest. */
export const MC_IMAGE: ImageDefaults = {
  repository: 'quay.io/minio/mc',
  tag: 'RELEASE.2025-08-13T08-35-41Z',
  digest: 'sha256:a7fe349ef4bd8521fb8497f55c6042871b2ae640607cf99d9bede5e9bdf11727',
};

const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A validated image reference and pull policy. */
export interface ResolvedImage {
  readonly image: string;
  readonly pullPolicy: string;
}

/** Applies the defaults and validates; `prop` names the options in errors (e.g. `image`). */
export function resolveImage(prop: string, options: ImageOptions = {}, defaults: ImageDefaults): ResolvedImage {
  const repository = options.repository ?? defaults.repository;
  const tag = options.tag ?? defaults.tag;
  const digest = options.digest ?? (options.tag === undefined ? defaults.digest : undefined);
  if (!REPOSITORY.test(repository)) {
    fail(`${prop}.repository`, 'must be an image repository without tag or digest, e.g. registry.example.com/minio/minio', repository);
  }
  if (!TAG.test(tag) || tag === 'latest') {
    fail(`${prop}.tag`, 'must be a fixed image tag (letters, digits, \'_\', \'.\', \'-\'; not latest)', tag);
  }
  if (digest !== undefined && !DIGEST.test(digest)) {
    fail(`${prop}.digest`, 'must be \'sha256:\' followed by 64 lowercase hex digits', digest);
  }
  return {
    image: `${repository}:${tag}${digest ? `@${digest}` : ''}`,
    pullPolicy: options.pullPolicy ?? ImagePullPolicy.IF_NOT_PRESENT,
  };
}
