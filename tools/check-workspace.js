// Fails when the workspace would install a framework library twice or when a library's declared
// minimum (its peer range's lower bound) differs from what the workspace installs and tests with.
// Run from the repository root: `node tools/check-workspace.js`.
const { existsSync, readFileSync } = require('fs');
const { join } = require('path');

const root = join(__dirname, '..');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const problems = [];

for (const dir of rootPackage.workspaces) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  for (const [name, range] of Object.entries(pkg.peerDependencies ?? {})) {
    const installedFile = join(root, 'node_modules', name, 'package.json');
    if (!existsSync(installedFile)) {
      problems.push(`${pkg.name}: peer ${name} is not installed at the root`);
      continue;
    }
    const installed = JSON.parse(readFileSync(installedFile, 'utf8')).version;
    const minimum = range.replace(/^[\^~>=\s]+/, '');
    if (minimum !== installed) {
      problems.push(`${pkg.name}: peer ${name} allows ${range} but the workspace installs ${installed}; make the minimum ${installed}`);
    }
    if (existsSync(join(root, dir, 'node_modules', name))) {
      problems.push(`${pkg.name}: a second copy of ${name} is installed in ${dir}/node_modules`);
    }
  }
}

if (problems.length > 0) {
  console.error(`workspace check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`workspace check: ${rootPackage.workspaces.length} members, every peer minimum equals the installed version, no duplicates`);
