/**
 * The toolchain, pinned on purpose. Library peer-dependency minimums equal what the
 * workspace installs, so npm never nests a second copy of aws-cdk-lib or cdk8s.
 */
export const VERSIONS = {
  projen: '0.103.25',
  /** jsii 6.x and TypeScript 7.x are npm's newest; these libraries compile with 5.9. */
  jsii: '~5.9.0',
  jsiiDocgen: '~10.12.6',
  typescript: '~5.9.3',
  awsCdkLib: '2.276.0',
  awsCdkCli: '2.1148.1',
  constructs: '10.8.1',
  cdk8s: '2.70.106',
  cdk8sPlus33: '2.5.57',
  cdkNag: '3.0.2',
  minNode: '20.0.0',
} as const;
