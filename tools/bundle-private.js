#!/usr/bin/env node
/**
 * Puts a private workspace package into the library being packed, and takes it out again.
 *
 * A library lists the private package in `bundledDependencies`; npm packs a bundled dependency
 * from the library's own node_modules, but an npm workspace links every member at the root and
 * leaves that folder empty, so the tarball would lack it. The library's `prepack` runs `copy`
 * (the compiled package: package.json, README, LICENSE and lib/), its `postpack` runs `remove`,
 * so between two packs the workspace resolves the live package through its root link, never a
 * stale copy. Run in the library's folder (npm runs lifecycle scripts there).
 *
 * Several packs of one library at the same time (tools/bindings/build.js runs jsii-pacmak for
 * three languages side by side, and each packs every library) would copy and remove the same folder
 * under each other. Such a caller copies once itself, sets S3WWW_EKS_PRIVATE_BUNDLED=1 for the packs
 * it starts, which then leave the copy alone, and removes it when all are done.
 *
 * Usage: node tools/bundle-private.js copy|remove <package name>
 */
const { cpSync, existsSync, readdirSync, rmSync, readFileSync } = require('fs');
const { join, resolve } = require('path');

const ROOT = resolve(__dirname, '..');
/** Set by a caller that copied the private package itself and packs several times at once. */
const BUNDLED_BY_CALLER = 'S3WWW_EKS_PRIVATE_BUNDLED';

function sourceOf(name) {
  const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const dir of rootPackage.workspaces) {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    if (pkg.name === name) return join(ROOT, dir);
  }
  throw new Error(`${name} is no member of the workspace`);
}

function copy(name, library) {
  const source = sourceOf(name);
  if (!existsSync(join(source, 'lib', 'index.js'))) {
    throw new Error(`${name} is not compiled (no lib/index.js in ${source}): run "npx projen compile" there first`);
  }
  const target = join(library, 'node_modules', ...name.split('/'));
  rmSync(target, { recursive: true, force: true });
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'lib']) {
    if (existsSync(join(source, entry))) cpSync(join(source, entry), join(target, entry), { recursive: true });
  }
  // Only what runs: the tests and their declarations stay behind.
  for (const file of readdirSync(join(target, 'lib'), { recursive: true })) {
    if (String(file).endsWith('.tsbuildinfo')) rmSync(join(target, 'lib', String(file)));
  }
}

function remove(name, library) {
  rmSync(join(library, 'node_modules', ...name.split('/')), { recursive: true, force: true });
  // The library's node_modules held nothing else (the workspace hoists every dependency).
  for (const dir of [join(library, 'node_modules', name.split('/')[0]), join(library, 'node_modules')]) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  }
}

if (require.main === module) {
  const [command, name] = process.argv.slice(2);
  if (!name || (command !== 'copy' && command !== 'remove')) {
    console.error('usage: node tools/bundle-private.js copy|remove <package name>');
    process.exit(2);
  }
  if (process.env[BUNDLED_BY_CALLER] !== '1') (command === 'copy' ? copy : remove)(name, process.cwd());
}

module.exports = { copy, remove, BUNDLED_BY_CALLER };
