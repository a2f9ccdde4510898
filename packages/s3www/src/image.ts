import { ImageDefaults } from '@s3www-eks/cdk8s-common';
import { ImagePullPolicy } from 'cdk8s-plus-33';

/**
 * Where a container image comes from, the same way in every library of this project. Every field
 * is optional: leave them all out to run the pinned default, set `repository` alone to pull the
 * same image from your own mirror.
 */
export interface ImageOptions {
  /**
   * Image repository, with its registry, e.g. `registry.example.com/mirror/s3www`.
   * @default - the component's upstream repository (`y4m4/s3www` for the web server, `node` for the seeder)
   */
  readonly repository?: string;

  /**
   * Image tag. `latest` is refused: a moving tag makes two pods run different code.
   * @default - the component's pinned release (`v1.0.0` for the web server, `22.23.3-alpine` for the seeder)
   */
  readonly tag?: string;

  /**
   * Image digest (`sha256:` and 64 hex digits). The runtime pulls by digest, so a re-pushed tag cannot change what runs.
   * @default - none: the defaults are pinned by tag
   */
  readonly digest?: string;

  /**
   * When the kubelet pulls the image.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly pullPolicy?: ImagePullPolicy;
}

/** s3www v1.0.0, by tag (give `digest` to pin it harder). */
export const S3WWW_IMAGE: ImageDefaults = { repository: 'y4m4/s3www', tag: 'v1.0.0' };

/**
 * The official Node.js image on Alpine that runs the seeder, pinned to a full release (the newest
 * Node 22 when this version was published) so that a re-synth never changes what runs.
 */
export const SEEDER_IMAGE: ImageDefaults = { repository: 'node', tag: '22.23.3-alpine' };
