// Bundles the seeder and the AWS SDK into one file, assets/seeder/index.js, which the construct
// mounts from a ConfigMap into a stock Node.js image. Type errors fail the build: esbuild
// strips types without checking them.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, '..', 'assets', 'seeder', 'index.js');
// A ConfigMap holds at most 1 MiB; leave room for the other keys and the object's metadata.
const MAX_BYTES = 900 * 1024;

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '--project', join(here, 'tsconfig.json')], { stdio: 'inherit' });
await build({
  entryPoints: [join(here, 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The SDK's ES modules let esbuild drop the commands the seeder never sends: 155 KiB less code
  // and about 7 MiB less memory than its CommonJS build.
  mainFields: ['module', 'main'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: '// @s3www-eks/s3www content seeder: bundled from seeder/*.ts (with the AWS SDK for JavaScript v3, Apache-2.0). Do not edit.' },
});
const size = statSync(outfile).size;
if (size > MAX_BYTES) {
  throw new Error(`${outfile} is ${size} bytes, more than the ${MAX_BYTES} a ConfigMap can carry with room to spare`);
}
console.log(`seeder bundled: ${outfile} (${Math.round(size / 1024)} KiB)`);
