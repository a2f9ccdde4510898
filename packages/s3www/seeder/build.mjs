// Bundles the seeder and the AWS SDK into one file, assets/seeder/index.js, compresses it into
// assets/seeder/program.br, and bundles the loader that the Job runs (assets/seeder/load.js). The
// construct splits program.br into ConfigMaps and mounts them with the loader into a stock Node.js
// image. Type errors fail the build: esbuild strips types without checking them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const assets = join(here, '..', 'assets', 'seeder');
const outfile = join(assets, 'index.js');
// The compressed program travels in ConfigMaps of at most 48 KiB of it each (src/seeder-job.ts);
// beyond eight of them the seeder has outgrown this way of shipping it.
const MAX_COMPRESSED_BYTES = 8 * 48 * 1024;

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
const program = readFileSync(outfile);
const compressed = brotliCompressSync(program, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: program.length },
});
if (compressed.length > MAX_COMPRESSED_BYTES) {
  throw new Error(`${outfile} compresses to ${compressed.length} bytes, more than the ${MAX_COMPRESSED_BYTES} its ConfigMaps are meant to carry`);
}
writeFileSync(join(assets, 'program.br'), compressed);
await build({
  entryPoints: [join(here, 'load.ts')],
  outfile: join(assets, 'load.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { SEEDER_PROGRAM_SHA256: JSON.stringify(createHash('sha256').update(program).digest('hex')) },
  banner: { js: '// @s3www-eks/s3www content seeder loader: bundled from seeder/load.ts. Do not edit.' },
});
console.log(`seeder bundled: ${outfile} (${Math.round(program.length / 1024)} KiB, ${Math.round(compressed.length / 1024)} KiB compressed)`);
