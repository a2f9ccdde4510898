#!/usr/bin/env node
/**
 * Builds the Python, Java and Go packages of the four libraries with jsii-pacmak, into each
 * library's dist/: dist/python (wheel and sdist), dist/java (a Maven repository: jar, sources,
 * javadoc, pom) and dist/go/<name> (the Go module's sources). These are the files the release
 * workflow publishes (it also builds dist/js and dist/dotnet, which this step does not: .NET is not
 * on these machines). The consumer projects in test/consumers install nothing else of ours.
 *
 * Stand-ins. The Go module proxy and Maven Central reachable from these machines do not serve some
 * dependencies at the versions the libraries need (see STAND_INS). For those, this script builds
 * the Go module or the Maven artifact from the very npm package the workspace installed, with the
 * same jsii-pacmak: the way their maintainers build the published ones. They live in a cache
 * outside the repository, keyed by package versions, pacmak version, JDK and Go, and are never part
 * of dist/. Built once per machine (about 10 minutes, mostly aws-cdk-lib and cdk8s-plus-33 in Java).
 *
 * Caches, all outside the repository:
 *   stand-ins and scratch: $S3WWW_EKS_BINDINGS, else $XDG_CACHE_HOME/s3www-eks/bindings, else ~/.cache/s3www-eks/bindings
 *   Maven: $MAVEN_REPO_LOCAL, else ~/.m2/repository      pip: $PIP_CACHE_DIR      Go: $GOMODCACHE, $GOCACHE
 *
 * Usage: node tools/bindings/build.js [python|java|go ...]   (default: all three)
 * Elsewhere: require('tools/bindings/build.js').standIns() gives the consumers the stand-in locations.
 */
const { createHash } = require('crypto');
const { execFileSync, spawn, spawnSync } = require('child_process');
const { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } = require('fs');
const { homedir } = require('os');
const { join, resolve } = require('path');
const privateBundle = require('../bundle-private.js');
const { cacheDir: sharedCacheDir } = require('../cache-dir.js');

const ROOT = resolve(__dirname, '..', '..');
const LIBRARIES = ['network', 'cluster', 'minio', 's3www'];
const LANGUAGES = ['python', 'java', 'go'];
const PACMAK = join(ROOT, 'node_modules', '.bin', 'jsii-pacmak');

/**
 * Dependencies the registries here refuse at the versions installed (checked 2026-12-01):
 * - Go module proxy: github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2, .../cdk8s-plus-go/cdk8splus33/v2 and
 *   github.com/cdklabs/awscdk-kubectl-go/kubectlv36/v2 are not served at any version (403).
 * - Maven Central: software.amazon.awscdk:aws-cdk-lib newest 2.263.0 (2.276.0 refused),
 *   cdk-cloud-assembly-schema 55.x refused (aws-cdk-lib 2.276 needs ^55.3), org.cdk8s:cdk8s newest
 *   2.70.47 (2.70.106 refused), org.cdk8s:cdk8s-plus-33 2.5.57 refused, and
 *   software.amazon.awscdk:cdk-lambda-layer-kubectl-v36 not served at all.
 * Order matters for Java: a stand-in is built after the stand-ins it depends on.
 */
const STAND_INS = [
  { npm: '@aws-cdk/cloud-assembly-schema', java: true },
  { npm: 'aws-cdk-lib', java: true },
  { npm: 'cdk8s', java: true, go: 'cdk8s' },
  { npm: 'cdk8s-plus-33', java: true, go: 'cdk8splus33' },
  { npm: '@aws-cdk/lambda-layer-kubectl-v36', java: true, go: 'kubectlv36' },
];

function cacheDir() {
  return sharedCacheDir('bindings', 'S3WWW_EKS_BINDINGS');
}

function mavenRepoLocal() {
  return resolve(process.env.MAVEN_REPO_LOCAL || join(homedir(), '.m2', 'repository'));
}

function npmVersion(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** What a tool says its version is (`java -version` says it on stderr). */
function toolVersion(cmd, args) {
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  return result.error ? `${cmd} unavailable` : `${result.stdout}${result.stderr}`.trim();
}

/** Folder of the stand-ins for one language; its name hashes everything that decides their content. */
function standInDir(language) {
  const hash = createHash('sha256').update(language).update(npmVersion('jsii-pacmak'));
  for (const s of STAND_INS.filter((x) => x[language])) hash.update(`${s.npm}@${npmVersion(s.npm)}`);
  hash.update(language === 'go' ? toolVersion('go', ['version']) : toolVersion('java', ['-version']) + toolVersion('javac', ['-version']));
  return join(cacheDir(), `standins-${language}-${hash.digest('hex').slice(0, 16)}`);
}

/** Where the consumers find the stand-ins: Go module folders by package name, and a Maven repository. */
function standIns() {
  const go = {};
  for (const s of STAND_INS.filter((x) => x.go)) go[s.go] = join(standInDir('go'), 'go', s.go);
  return { go, mavenRepository: join(standInDir('java'), 'java'), mavenSettings: join(standInDir('java'), 'settings.xml') };
}

function run(cmd, args, options = {}) {
  return new Promise((ok, ko) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    const output = [];
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
    child.on('error', ko);
    child.on('close', (code) => {
      const text = Buffer.concat(output).toString();
      if (code === 0) ok(text);
      else ko(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${text.split('\n').filter((l) => !l.startsWith('!!')).slice(-60).join('\n')}`));
    });
  });
}

/** jsii-pacmak on the given package folders; `--target` is an array option, so the folders go first. */
function pacmak(packages, args, env) {
  // --no-npmignore: projen owns each package's .npmignore (it already leaves dist/ out).
  return run(PACMAK, [...packages, '--no-npmignore', ...args], { env });
}

/** Builds the stand-ins of one language into the cache, unless they are there; returns what happened. */
async function ensureStandIns(language, env) {
  const dir = standInDir(language);
  const done = join(dir, 'COMPLETE');
  const names = STAND_INS.filter((s) => s[language]).map((s) => `${s.npm}@${npmVersion(s.npm)}`);
  if (existsSync(done)) return `${language} stand-ins reused: ${names.join(', ')}`;
  const started = Date.now();
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    const packages = STAND_INS.filter((s) => s[language]).map((s) => join(ROOT, 'node_modules', s.npm));
    if (language === 'go') {
      // Sources only: each one is compiled by the `go build` of the library that imports it.
      await pacmak(packages, ['--code-only', '--outdir', partial, '--target', 'go'], env);
    } else {
      // One at a time in dependency order (pacmak cannot order aws-cdk-lib against its asset packages);
      // each finds the earlier ones in the shared output folder. Their javadoc and sources jars are not needed.
      const javaEnv = { ...env, MAVEN_OPTS: `${env.MAVEN_OPTS ?? ''} -Dmaven.javadoc.skip=true -Dmaven.source.skip=true` };
      for (const pkg of packages) {
        await pacmak([pkg], ['--outdir', partial, `--maven-local-repository=${mavenRepoLocal()}`, '--target', 'java'], javaEnv);
      }
      writeFileSync(join(partial, 'settings.xml'), mavenSettings(join(dir, 'java')));
    }
    writeFileSync(join(partial, 'COMPLETE'), `${names.join('\n')}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(partial, dir);
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return `${language} stand-ins built in ${seconds(started)}: ${names.join(', ')}`;
}

/** Maven settings that add the stand-in repository to every build (pacmak's and the Java consumer's). */
function mavenSettings(repository) {
  return [
    '<settings>',
    '  <profiles><profile><id>s3www-eks-stand-ins</id><repositories>',
    `    <repository><id>s3www-eks-stand-ins</id><url>file://${repository}</url></repository>`,
    '  </repositories></profile></profiles>',
    '  <activeProfiles><activeProfile>s3www-eks-stand-ins</activeProfile></activeProfiles>',
    '</settings>',
    '',
  ].join('\n');
}

function seconds(started) {
  return `${((Date.now() - started) / 1000).toFixed(0)} s`;
}

/**
 * Translations of the README and @example snippets, which pacmak writes into each language's docs.
 * Each library's post-compile already runs `jsii-rosetta extract --strict` and fails on a snippet
 * that does not compile; here a missing or stale tablet is only brought up to date.
 */
function ensureTablets() {
  for (const lib of LIBRARIES) {
    const dir = join(ROOT, 'packages', lib);
    const tablet = join(dir, '.jsii.tabl.json');
    if (existsSync(tablet) && statSync(tablet).mtimeMs >= statSync(join(dir, '.jsii')).mtimeMs) continue;
    execFileSync(join(ROOT, 'node_modules', '.bin', 'jsii-rosetta'), ['extract'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}

async function main() {
  const languages = process.argv.slice(2).length > 0 ? process.argv.slice(2) : LANGUAGES;
  const unknown = languages.filter((l) => !LANGUAGES.includes(l));
  if (unknown.length > 0) throw new Error(`unknown language(s) ${unknown.join(', ')}; known: ${LANGUAGES.join(', ')}`);
  const started = Date.now();
  // The private package minio and s3www bundle first: their npm pack (inside pacmak) copies its lib/.
  const packages = ['cdk8s-common', ...LIBRARIES];
  execFileSync('node', [join(ROOT, 'tools', 'compile-if-changed.js'), ...packages.map((l) => `packages/${l}`)], { cwd: ROOT, stdio: 'inherit' });
  // jsii copies README.md into the assembly, where rosetta and pacmak read it; compile-if-changed
  // only follows src/, so a README edited since the last compile is compiled in here.
  for (const lib of LIBRARIES) {
    const dir = join(ROOT, 'packages', lib);
    if (statSync(join(dir, 'README.md')).mtimeMs > statSync(join(dir, '.jsii')).mtimeMs) {
      execFileSync('npx', ['projen', 'compile'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    }
  }
  ensureTablets();

  // pacmak's scratch folders (npm pack, generated sources, Python venvs) go here, never to /tmp.
  const scratch = join(cacheDir(), `run-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  // The three pacmak runs below pack every library at the same time: the private package the cdk8s
  // libraries bundle is copied into them once, here, and their own prepack/postpack leave it alone.
  const bundling = LIBRARIES.map((l) => join(ROOT, 'packages', l))
    .map((dir) => ({ dir, bundled: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).bundledDependencies ?? [] }))
    .flatMap(({ dir, bundled }) => bundled.map((name) => ({ dir, name })));
  const env = { ...process.env, TMPDIR: scratch, JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20', [privateBundle.BUNDLED_BY_CALLER]: '1' };
  const libDirs = LIBRARIES.map((l) => join(ROOT, 'packages', l));
  bundling.forEach(({ dir, name }) => privateBundle.copy(name, dir));
  try {
    for (const lib of LIBRARIES) for (const language of languages) rmSync(join(ROOT, 'packages', lib, 'dist', language), { recursive: true, force: true });
    const timings = {};
    const timed = (name, job) => async () => {
      const t = Date.now();
      const result = await job();
      timings[name] = seconds(t);
      return result;
    };
    const jobs = [];
    if (languages.includes('python')) {
      jobs.push(timed('python', () => pacmak(libDirs, ['--target', 'python'], env)));
    }
    if (languages.includes('java')) {
      jobs.push(timed('java', async () => {
        console.log(await ensureStandIns('java', env));
        const { mavenSettings: settings } = standIns();
        return pacmak(libDirs, [`--maven-local-repository=${mavenRepoLocal()}`, `--mvn-global-settings=${settings}`, '--target', 'java'], env);
      }));
    }
    if (languages.includes('go')) {
      jobs.push(timed('go', async () => {
        console.log(await ensureStandIns('go', env));
        // pacmak's `go mod tidy` and `go build` find modules that sit beside the one being built, so the
        // libraries are built in a folder next to links to the stand-ins, then copied to their dist/go.
        const out = join(scratch, 'go-out');
        mkdirSync(join(out, 'go'), { recursive: true });
        for (const [name, dir] of Object.entries(standIns().go)) symlinkSync(dir, join(out, 'go', name));
        await pacmak(libDirs, ['--outdir', out, '--target', 'go'], env);
        for (const lib of LIBRARIES) {
          cpSync(join(out, 'go', lib), join(ROOT, 'packages', lib, 'dist', 'go', lib), { recursive: true });
        }
      }));
    }
    // Python, Java and Go build side by side: most of their time is spent waiting on Maven, pip and go.
    await Promise.all(jobs.map((job) => job()));
    // The same check the release workflow runs before it publishes.
    const { check } = require('./check-dist.js');
    for (const lib of LIBRARIES) check(join(ROOT, 'packages', lib), languages);
    const summary = languages.map((l) => `${l} ${timings[l]}`).join(', ');
    console.log(`bindings: ${languages.join(', ')} packages of ${LIBRARIES.join(', ')} in packages/*/dist, checked as the release publishes them (${summary}; total ${seconds(started)})`);
  } finally {
    bundling.forEach(({ dir, name }) => privateBundle.remove(name, dir));
    rmSync(scratch, { recursive: true, force: true });
  }
}

module.exports = { standIns, cacheDir, mavenRepoLocal, LIBRARIES };

if (require.main === module) {
  main().catch((err) => {
    console.error(`bindings failed: ${err.message}`);
    process.exit(1);
  });
}
