import * as eks from 'aws-cdk-lib/aws-eks-v2';

/**
 * Kubernetes versions this library supports: those within kubectl's one-minor-version skew of the
 * bundled `@aws-cdk/lambda-layer-kubectl-v36` layer that aws-cdk-lib 2.276 also knows.
 * 1.37 is in aws-cdk-lib, but no kubectl v1.37 layer is published on npm yet.
 */
export const SUPPORTED_VERSIONS: readonly string[] = ['1.35', '1.36'];

/** The newest supported version, used when the user names none. */
export const DEFAULT_VERSION = eks.KubernetesVersion.V1_36;

/** Throws when the version is outside {@link SUPPORTED_VERSIONS}. */
export function validateVersion(version: eks.KubernetesVersion): void {
  if (!SUPPORTED_VERSIONS.includes(version.version)) {
    throw new Error(`'version' must be one of ${SUPPORTED_VERSIONS.join(', ')} (versions with a matching kubectl layer), got ${version.version}`);
  }
}
