/**
 * The seeder's loader, and the file the Job runs. The seeder program travels brotli-compressed in
 * parts, one per ConfigMap, because kubectl's `--save-config` and `apply` copy a whole object into
 * an annotation that the API server caps at 256 KiB. This joins the mounted parts in order, checks
 * the result against the program's SHA-256 (fixed when the package was built), and runs it in this
 * process, so the Job's Node.js flags apply to the seeder itself.
 */
import { createHash } from 'crypto';
import { readdirSync, readFileSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';
import { constants, runInThisContext } from 'vm';
import { brotliDecompressSync } from 'zlib';
import { ExitCode } from './errors';
import { PROGRAM_PART_PREFIX } from '../src/seeder-files';

/** Replaced by the build (seeder/build.mjs) with the SHA-256 of assets/seeder/index.js. */
declare const SEEDER_PROGRAM_SHA256: string;

function load(dir: string): string {
  const parts = readdirSync(dir)
    .filter((name) => name.startsWith(PROGRAM_PART_PREFIX) && /^\d+$/.test(name.slice(PROGRAM_PART_PREFIX.length)))
    .sort((a, b) => Number(a.slice(PROGRAM_PART_PREFIX.length)) - Number(b.slice(PROGRAM_PART_PREFIX.length)));
  const program = brotliDecompressSync(Buffer.concat(parts.map((name) => readFileSync(join(dir, name)))));
  const sha256 = createHash('sha256').update(program).digest('hex');
  if (sha256 !== SEEDER_PROGRAM_SHA256) {
    throw new Error(`the ${parts.length} program part(s) in ${dir} make a program with SHA-256 ${sha256}, expected ${SEEDER_PROGRAM_SHA256}`);
  }
  return program.toString('utf8');
}

let source: string;
try {
  source = load(__dirname);
} catch (err) {
  process.stderr.write(`seeder: cannot load the program: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(ExitCode.INTERNAL);
}
// Stryker disable next-line StringLiteral: the name only labels the compiled code and anchors require(); the bundle uses no __filename and requires only Node's built-in modules
const filename = join(__dirname, 'index.js');
// The same wrapper Node puts around a CommonJS module, so the bundle runs as if it were required.
// The SDK loads node:http with a dynamic import(), which code compiled by vm refuses ("A dynamic
// import callback was not specified") unless it is given the main context's loader.
const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename,
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const program = { exports: {} };
wrapper.call(program.exports, program.exports, createRequire(filename), program, filename, __dirname);
