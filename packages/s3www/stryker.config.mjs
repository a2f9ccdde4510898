// Mutation testing of the seeder (`npx projen mutation:seeder` at the root; CONTRIBUTING.md).
// The seeder's tests run the bundle, assets/seeder/index.js, as a child process (and through the
// Job's loader, assets/seeder/load.js): the sandbox rebuilds both from the instrumented sources,
// and the tests pass the active mutant to the child (tools/testing/stryker-child.ts).
import { strykerConfig } from '../../tools/stryker/config.mjs';

/**
 * The end-to-end suites against moto and MinIO start the seeder once per test, and every seeder
 * module runs in each of those processes: most mutants would run them all (about 25 s, and a server
 * start). They join in the second pass, for the mutants the first pass left alive
 * (tools/stryker/run.mjs).
 */
export const slowTestFiles = ['test/seeder-minio.test.ts', 'test/seeder.test.ts'];

export default strykerConfig({
  name: 'seeder',
  mutate: ['seeder/**/*.ts'],
  testFiles: [
    'test/seeder-units.test.ts',
    'test/seeder-config.test.ts',
    'test/seeder-upload.test.ts',
    'test/seeder-main.test.ts',
    'test/seeder-load.test.ts',
    'test/multipart.test.ts',
    'test/seeder-job.test.ts',
  ],
  slowTestFiles,
  tsconfigFile: 'seeder/tsconfig.json',
  // Type-checks (the instrumented files carry @ts-nocheck), then bundles the program and the loader.
  buildCommand: 'node seeder/build.mjs',
  ignorePatterns: ['/benchmark', '/docs', '/API.md', '/rosetta'],
});
