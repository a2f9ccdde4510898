import { readFileSync } from 'fs';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { DEFAULT_VERSION, SUPPORTED_VERSIONS, validateVersion } from '../src/kubernetes-version';

describe('Kubernetes versions', () => {
  test('the default is the newest supported version', () => {
    expect(DEFAULT_VERSION.version).toBe(SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]);
    expect(DEFAULT_VERSION).toBe(eks.KubernetesVersion.V1_36);
  });

  test('the kubectl layer of the default version is installed', () => {
    // The layer package is what makes a version supportable: kubectl must be within one minor version.
    const layer = JSON.parse(readFileSync(require.resolve('@aws-cdk/lambda-layer-kubectl-v36/package.json'), 'utf8'));
    expect(layer.description).toBe('A Lambda Layer that contains kubectl v1.36');
  });

  test.each(SUPPORTED_VERSIONS)('accepts %s', (version) => {
    expect(() => validateVersion(eks.KubernetesVersion.of(version))).not.toThrow();
  });

  test.each(['1.33', '1.34', '1.37', '2.0'])('rejects %s', (version) => {
    expect(() => validateVersion(eks.KubernetesVersion.of(version)))
      .toThrow(`'version' must be one of 1.35, 1.36 (versions with a matching kubectl layer), got ${version}`);
  });
});
