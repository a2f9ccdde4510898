#!/usr/bin/env node
/**
 * Compiles the README and @example snippets of the jsii library in the current folder under
 * `jsii-rosetta extract --strict`, reusing translations kept in a cache outside the repository.
 *
 * Why: rosetta compiles each snippet against the library and aws-cdk-lib, 7 s a snippet for the
 * cluster's 23 on 2 cores; a fresh clone has no tablet beside its assembly to reuse, so every CI run
 * paid 2 min 45 s for translations that had not changed (CONTRIBUTING.md, "Speed").
 *
 * What is reused is jsii-rosetta's own decision: a cached translation counts only when the
 * snippet, its fixture, the fingerprints of every type it uses and the translators' versions are
 * unchanged (and, under --strict, only when it compiled). The cache folder is also keyed by the
 * jsii-rosetta version and the root package-lock.json, so a new toolchain or dependency starts
 * from nothing. The cache is $S3WWW_EKS_ROSETTA, else $XDG_CACHE_HOME/s3www-eks/rosetta, else
 * ~/.cache/s3www-eks/rosetta; it is rewritten whole (trimmed to the current snippets) and swapped
 * in by rename, so a run cut short leaves the previous one intact.
 *
 * Usage (the `rosetta` task of each library): node ../../tools/rosetta.js
 */
const { createHash } = require('crypto');
const { spawnSync } = require('child_process');
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync } = require('fs');
const { join, resolve } = require('path');
const { cacheDir } = require('./cache-dir.js');

const ROOT = resolve(__dirname, '..');

function cacheFile(packageDir) {
  const rosettaVersion = require('jsii-rosetta/package.json').version;
  const lock = createHash('sha256').update(readFileSync(join(ROOT, 'package-lock.json'))).digest('hex').slice(0, 16);
  const name = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).name.replace(/[@/]/g, '_');
  return join(cacheDir('rosetta', 'S3WWW_EKS_ROSETTA'), `${rosettaVersion}-${lock}`, `${name}.tabl.json`);
}

function main() {
  const packageDir = process.cwd();
  const cache = cacheFile(packageDir);
  mkdirSync(resolve(cache, '..'), { recursive: true });
  const next = `${cache}.${process.pid}`;
  const args = ['extract', '--strict', '--cache-to', next, '--trim-cache'];
  if (existsSync(cache)) args.push('--cache-from', cache);
  const rosetta = join(ROOT, 'node_modules', '.bin', 'jsii-rosetta');
  const run = spawnSync(rosetta, args, { stdio: 'inherit' });
  if (run.status === 0) {
    renameSync(next, cache);
  } else {
    rmSync(next, { force: true });
  }
  process.exit(run.status ?? 1);
}

main();
