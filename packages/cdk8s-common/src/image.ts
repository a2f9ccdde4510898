/**
 * Container images as repository, tag and digest, for every component of both libraries: pinned
 * defaults, a mirror by `repository` alone, and checks that refuse a moving tag.
 */
import { ImagePullPolicy } from 'cdk8s-plus-33';
import { fail } from './validation';

/** What the libraries' `ImageOptions` hold. */
export interface ImageSpec {
  readonly repository?: string;
  readonly tag?: string;
  readonly digest?: string;
  readonly pullPolicy?: ImagePullPolicy;
}

/** The pinned default of one component; a digest only where the release is pinned by one. */
export interface ImageDefaults {
  readonly repository: string;
  readonly tag: string;
  readonly digest?: string;
}

const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A validated image reference and pull policy. */
export interface ResolvedImage {
  readonly image: string;
  readonly pullPolicy: string;
}

/**
 * Applies the defaults and validates; `prop` names the options in errors (e.g. `image`). The
 * default digest belongs to the default tag, so a new tag drops it.
 */
export function resolveImage(prop: string, options: ImageSpec = {}, defaults: ImageDefaults): ResolvedImage {
  const repository = options.repository ?? defaults.repository;
  const tag = options.tag ?? defaults.tag;
  const digest = options.digest ?? (options.tag === undefined ? defaults.digest : undefined);
  if (!REPOSITORY.test(repository)) {
    fail(`${prop}.repository`, 'must be an image repository without tag or digest, e.g. registry.example.com/mirror/app', repository);
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
