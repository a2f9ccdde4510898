// Mutation testing of the reference app's sources (`npx projen mutation:reference` at the root;
// CONTRIBUTING.md). The app imports the libraries' compiled lib/ (the task compiles them first);
// only src/ is mutated.
import { readdirSync } from 'node:fs';
import { strykerConfig } from '../../tools/stryker/config.mjs';

/** Test files that deploy to a real API server, run MinIO's data path, or install from npm. */
const REAL_SERVERS = [
  'cluster-deploy.test.ts',
  'cluster-upgrade.test.ts',
  'data-path.test.ts',
  'install-from-npm.test.ts',
  'namespace-access.test.ts',
  'pod-security.test.ts',
];

export default strykerConfig({
  name: 'reference',
  // main.ts is the three-line entry point `cdk synth` runs; no test imports it.
  mutate: ['src/**/*.ts', '!src/main.ts'],
  // Every test file but the suites that start real servers: they deploy what the synthesizing tests
  // already check, and take minutes per run. compose.test.ts stays (docker-compose checks the file it
  // writes, 14 s): it is the only test of src/compose.ts.
  testFiles: readdirSync('test').filter((file) => file.endsWith('.test.ts') && !REAL_SERVERS.includes(file)).map((file) => `test/${file}`),
  tsconfigFile: 'tsconfig.json',
  ignorePatterns: ['/benchmark', '/.speed-benchmark'],
});
