#!/usr/bin/env node
/**
 * Compiles workspace packages whose sources changed since their last compile, and nothing else.
 *
 * The main job and the benchmarks run the compiled libraries (the workspace links resolve to each
 * library's lib/ and the seeder bundle in assets/), so a fresh clone must compile them first, and
 * a warm run must not pay for it again. A package is up to date when both fingerprints recorded
 * at its last compile still hold:
 * - its inputs: src/ (and seeder/ where present), its package.json and the root package-lock.json;
 * - its outputs: lib/, assets/ and the .jsii assembly, so output rewritten by another command
 *   (a `jsii` run on edited sources that were then reverted, say) is never mistaken for current.
 * Fingerprints live in node_modules/.cache/, outside every package and every npm tarball.
 *
 * Usage:
 *   node tools/compile-if-changed.js <package folder>...   compile what changed (folders relative to the root)
 *   node tools/compile-if-changed.js --record              record the package in the current folder as
 *                                                         compiled (the last step of every compile task)
 */
const { createHash } = require('crypto');
const { execFileSync } = require('child_process');
const { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } = require('fs');
const { join, relative, resolve } = require('path');

const ROOT = resolve(__dirname, '..');
const STAMPS = join(ROOT, 'node_modules', '.cache', 's3www-eks', 'compile');
const INPUT_DIRS = ['src', 'seeder'];
const OUTPUT_DIRS = ['lib', 'assets'];

/** Every file under the given folders of a package, sorted, as paths relative to the package. */
function filesUnder(dir, folders) {
  const files = [];
  const visit = (path) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile()) files.push(relative(dir, child));
    }
  };
  for (const folder of folders) {
    if (existsSync(join(dir, folder))) visit(join(dir, folder));
  }
  return files.sort();
}

/** One hash over the names and contents of files; null when there are none or `required` is missing. */
function fingerprint(dir, files, required = []) {
  if (files.length === 0 || required.some((file) => !existsSync(join(dir, file)))) return null;
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0').update(readFileSync(join(dir, file))).update('\0');
  }
  return hash.digest('hex');
}

function inputsOf(dir) {
  const lock = join(ROOT, 'package-lock.json');
  const hash = createHash('sha256').update(fingerprint(dir, [...filesUnder(dir, INPUT_DIRS), 'package.json']));
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex');
}

function outputsOf(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // A jsii library's compile writes its assembly; an app's writes only lib/.
  const assembly = pkg.jsii ? ['.jsii'] : [];
  const files = [...filesUnder(dir, OUTPUT_DIRS), ...assembly];
  return fingerprint(dir, files, assembly);
}

function stampFileOf(dir) {
  return join(STAMPS, `${relative(ROOT, dir).replace(/[\\/]/g, '__')}.json`);
}

/** Records the package's current sources and outputs as compiled together. */
function record(dir) {
  mkdirSync(STAMPS, { recursive: true });
  writeFileSync(stampFileOf(dir), JSON.stringify({ inputs: inputsOf(dir), outputs: outputsOf(dir) }));
}

/** True when the package's sources and outputs are those its last compile recorded. */
function isUpToDate(dir) {
  const file = stampFileOf(dir);
  if (!existsSync(file)) return false;
  const stamp = JSON.parse(readFileSync(file, 'utf8'));
  return stamp.outputs !== null && stamp.inputs === inputsOf(dir) && stamp.outputs === outputsOf(dir);
}

/** Runs the package's compile task (which records it) unless it is up to date. */
function compileIfChanged(folder) {
  const dir = resolve(ROOT, folder);
  if (isUpToDate(dir)) return false;
  const started = Date.now();
  execFileSync('npx', ['projen', 'compile'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
  console.error(`compiled ${relative(ROOT, dir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--record' && args.length === 1) {
    record(process.cwd());
  } else if (args.length > 0 && !args.includes('--record')) {
    for (const folder of args) compileIfChanged(folder);
  } else {
    console.error('usage: node tools/compile-if-changed.js <package folder>... | --record');
    process.exit(2);
  }
}

module.exports = { compileIfChanged, isUpToDate };
