// Mutation testing of the network library's sources (`npx projen mutation:network` at the root;
// CONTRIBUTING.md). The tests import src/ directly, so nothing is compiled first.
import { strykerConfig } from '../../tools/stryker/config.mjs';

export default strykerConfig({
  name: 'network',
  // index.ts only re-exports.
  mutate: ['src/**/*.ts', '!src/index.ts'],
  // Every test file but two: deploy.test.ts deploys to moto_server (a real server, minutes a run) what the
  // other files check on the template, and docs.test.ts reads the compiled assembly, which no mutant reaches.
  testFiles: ['bastion', 'endpoints', 'flow-logs', 'limits', 'nat-alarms', 'network', 'presets', 'validation'].map((file) => `test/${file}.test.ts`),
  tsconfigFile: 'tsconfig.json',
});
