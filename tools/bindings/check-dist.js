#!/usr/bin/env node
/**
 * Checks that a library's dist/ holds exactly the packages the release publishes for the given
 * languages, built at the library's current version, and nothing else in those folders:
 *   js      dist/js/<name>@<version>.jsii.tgz                                  (publib-npm)
 *   python  dist/python/s3www_eks_<name>-<version>-py3-none-any.whl and .tar.gz   (publib-pypi uploads dist/python/*)
 *   java    dist/java/dev/s3www-eks/<name>/<version>/<name>-<version>{.jar,-sources.jar,-javadoc.jar,.pom}
 *           with their .md5/.sha1, and maven-metadata.xml                       (publib-maven)
 *   dotnet  dist/dotnet/S3wwwEks.<Name>.<version>.nupkg, and its .snupkg if pacmak made one (publib-nuget;
 *           not built on these machines, so this shape is unverified here)
 *   go      dist/go/<name>/ only, a module named github.com/s3www-eks/s3www-eks-go/<name>[/vN]
 *           whose version file says <version>                                  (publib-golang)
 *
 * Usage, in a library folder: node ../../tools/bindings/check-dist.js <language>...
 *        from the root:        node tools/bindings/check-dist.js --all <language>...   (the four libraries)
 */
const { existsSync, readdirSync, readFileSync, statSync } = require('fs');
const { join, relative, resolve } = require('path');

const ROOT = resolve(__dirname, '..', '..');

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  const visit = (d) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) visit(path);
      else out.push(relative(dir, path));
    }
  };
  visit(dir);
  return out.sort();
}

function sameSet(what, actual, expected) {
  const missing = expected.filter((f) => !actual.includes(f));
  const extra = actual.filter((f) => !expected.includes(f));
  if (missing.length || extra.length) {
    throw new Error(`${what}: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${extra.join(', ')}` : ''}`);
  }
}

function check(libDir, languages) {
  const pkg = JSON.parse(readFileSync(join(libDir, 'package.json'), 'utf8'));
  const name = pkg.name.replace('@s3www-eks/', '');
  const version = pkg.version;
  const targets = pkg.jsii.targets;
  const dist = join(libDir, 'dist');
  for (const language of languages) {
    const dir = join(dist, language);
    const files = filesUnder(dir);
    const where = `${relative(ROOT, dir)}`;
    if (language === 'js') {
      sameSet(where, files, [`${name}@${version}.jsii.tgz`]);
    } else if (language === 'python') {
      const base = targets.python.distName.replace(/[.-]/g, '_');
      sameSet(where, files, [`${base}-${version}-py3-none-any.whl`, `${base}-${version}.tar.gz`]);
    } else if (language === 'java') {
      const { groupId, artifactId } = targets.java.maven;
      const folder = join(...groupId.split('.'), artifactId);
      const artifacts = ['.jar', '-sources.jar', '-javadoc.jar', '.pom'].map((s) => join(folder, version, `${artifactId}-${version}${s}`));
      artifacts.push(join(folder, 'maven-metadata.xml'));
      sameSet(where, files, artifacts.flatMap((f) => [f, `${f}.md5`, `${f}.sha1`]));
    } else if (language === 'dotnet') {
      const id = targets.dotnet.packageId;
      const symbols = `${id}.${version}.snupkg`;
      sameSet(where, files, [`${id}.${version}.nupkg`, ...(files.includes(symbols) ? [symbols] : [])]);
    } else if (language === 'go') {
      const goName = targets.go.packageName;
      const top = existsSync(dir) ? readdirSync(dir).sort() : [];
      sameSet(where, top, [goName]);
      const major = Number(version.split('.')[0]);
      const module = `${targets.go.moduleName}/${goName}${major >= 2 ? `/v${major}` : ''}`;
      const goMod = readFileSync(join(dir, goName, 'go.mod'), 'utf8');
      if (!goMod.split('\n').includes(`module ${module}`)) throw new Error(`${where}/${goName}/go.mod does not declare module ${module}`);
      const stamped = readFileSync(join(dir, goName, 'version'), 'utf8').trim();
      if (stamped !== version) throw new Error(`${where}/${goName}/version says ${stamped}, not ${version}`);
      const leftovers = files.filter((f) => /(^|\/)local\.go\.(mod|sum)$/.test(f));
      if (leftovers.length) throw new Error(`${where}: pacmak's local build files were left: ${leftovers.join(', ')}`);
    } else {
      throw new Error(`unknown language ${language} (js, python, java, dotnet, go)`);
    }
  }
  return `${name}@${version}: ${languages.join(', ')}`;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const all = args[0] === '--all';
  const languages = all ? args.slice(1) : args;
  if (languages.length === 0) {
    console.error('usage: check-dist.js [--all] <js|python|java|dotnet|go>...');
    process.exit(2);
  }
  const dirs = all ? require('./build.js').LIBRARIES.map((l) => join(ROOT, 'packages', l)) : [process.cwd()];
  try {
    const checked = dirs.map((d) => check(d, languages));
    console.log(`dist holds exactly the packages to publish: ${checked.join('; ')}`);
  } catch (err) {
    console.error(`dist check failed: ${err.message}`);
    process.exit(1);
  }
}

module.exports = { check };
