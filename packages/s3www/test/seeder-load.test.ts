/**
 * The seeder's loader (seeder/load.ts, bundled as assets/seeder/load.js), run by node the way the
 * Job runs it, on a mount of its own: how it finds the program's parts among other files, the order
 * it joins them in, and what it does with a program that is not the one it was built with. Each
 * run ends at the program's first check (no S3_BUCKET): a few hundred milliseconds.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { brotliCompressSync } from 'zlib';
import { SEEDER } from './support/run-seeder';
import { strykerChild } from '../../../tools/testing/stryker-child';

const ASSETS = dirname(SEEDER);
const PARTS = 12;

const mounts: string[] = [];

afterAll(() => {
  for (const mount of mounts) rmSync(mount, { recursive: true, force: true });
});

/** A folder with the loader and `program` split into `parts` files, written last part first, plus `extra` files. */
function makeMount(program: Buffer, parts: number, extra: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'seeder-load-'));
  mounts.push(dir);
  copyFileSync(join(ASSETS, 'load.js'), join(dir, 'load.js'));
  const size = Math.ceil(program.length / parts);
  for (let i = parts - 1; i >= 0; i--) writeFileSync(join(dir, `program.br.${i}`), program.subarray(i * size, (i + 1) * size));
  for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
  return dir;
}

function load(dir: string) {
  const stryker = strykerChild();
  const run = spawnSync(process.execPath, [join(dir, 'load.js')], { encoding: 'utf8', env: { PATH: process.env.PATH, ...stryker.env } });
  stryker.done();
  return { status: run.status, stderr: run.stderr };
}

test('the parts are joined in the order of their numbers, and other files in the mount are left out', () => {
  // GIVEN the program in twelve parts (so that 10 and 11 sort after 2 as text), and files that only look like parts
  const dir = makeMount(readFileSync(join(ASSETS, 'program.br')), PARTS, {
    'program.br.notes': 'not a part',
    'program.br.1.bak': 'an old part',
    'program.br.old3': 'another old part',
    // Trailing bytes after the brotli stream are ignored: a decoy counts only where it would sort first.
    'program.br.-1': 'a part from before',
    'README.program.br.4': 'not a part either',
  });
  // WHEN
  const run = load(dir);
  // THEN the program itself answers: a configuration error, exit code 2
  expect(run).toEqual({ status: 2, stderr: 'seeder: S3_BUCKET must be set to the bucket to seed\n' });
});

test('a program other than the one the loader was built with is not run: INTERNAL (4), naming both checksums', () => {
  // GIVEN parts that decompress to another program
  const other = Buffer.from('process.stdout.write("not the seeder\\n");\n');
  const dir = makeMount(brotliCompressSync(other), 1);
  // WHEN
  const run = load(dir);
  // THEN
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  expect(run).toEqual({
    status: 4,
    stderr: `seeder: cannot load the program: the 1 program part(s) in ${dir} make a program with SHA-256 ${sha256(other)}, expected ${sha256(readFileSync(SEEDER))}\n`,
  });
});
