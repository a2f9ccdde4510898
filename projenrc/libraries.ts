import { relative } from 'path';
import { awscdk, cdk, cdk8s, javascript, release, ReleasableCommits, typescript } from 'projen';
import { VERSIONS } from './versions';

/** What differs between the four libraries; everything else is shared. */
export interface LibraryOptions {
  /** Folder under packages/ and the npm name under the @s3www-eks scope. */
  readonly name: string;
  readonly description: string;
  readonly keywords: string[];
  /** Runtime dependencies bundled with the library. */
  readonly deps?: string[];
  readonly devDeps?: string[];
  /** Minimum coverage, in percent, that `jest` enforces on this library. */
  readonly coverage?: number;
}

/**
 * Temporary files of a test run stay in one folder that jest removes at the end, and CDK apps in
 * tests share one cloud assembly folder per test file (tools/jest). Without this every run left
 * gigabytes of staged Lambda layers in /tmp.
 */
export const JEST_SCRATCH = {
  // jest's transform cache would otherwise live in /tmp/jest_<n>, outside the run's scratch folder.
  cacheDirectory: '<rootDir>/../../node_modules/.cache/jest',
  globalSetup: '<rootDir>/../../tools/jest/run-scratch-setup.js',
  globalTeardown: '<rootDir>/../../tools/jest/run-scratch-teardown.js',
  setupFilesAfterEnv: ['<rootDir>/../../tools/jest/cdk-outdir.js'],
};

/**
 * The last step of every package's compile: records its sources and outputs, so that
 * tools/compile-if-changed.js skips the package until either changes.
 */
export const RECORD_COMPILE = 'node ../../tools/compile-if-changed.js --record';

const REPOSITORY = 'https://github.com/s3www-eks/s3www-eks.git';

/** The pinned toolchain and npm, as every project of the workspace takes them. */
export const TOOLCHAIN = {
  packageManager: javascript.NodePackageManager.NPM,
  projenVersion: VERSIONS.projen,
  typescriptVersion: VERSIONS.typescript,
  minNodeVersion: VERSIONS.minNode,
  defaultReleaseBranch: 'main',
  sampleCode: false,
  depsUpgrade: false,
} as const;

/** jest as every package runs it: no test is a failure, CI never rewrites a snapshot, coverage enforced. */
function jestOptions(coverage: number): javascript.JestOptions {
  return {
    // A package without tests fails, and CI never rewrites a snapshot: `test:update` does that.
    passWithNoTests: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      coverageThreshold: { statements: coverage, lines: coverage, functions: coverage, branches: coverage - 10 },
      testTimeout: 120_000,
      ...JEST_SCRATCH,
    },
  };
}

/** Options every jsii library shares: toolchain, jsii targets, release and build steps. */
function sharedOptions(root: typescript.TypeScriptProject, options: LibraryOptions) {
  const pascal = options.name.charAt(0).toUpperCase() + options.name.slice(1);
  const coverage = options.coverage ?? 90;
  return {
    parent: root,
    outdir: `packages/${options.name}`,
    name: `@s3www-eks/${options.name}`,
    description: options.description,
    keywords: ['s3www', 'eks', ...options.keywords],
    author: 's3www-eks maintainers',
    authorAddress: 'maintainers@s3www-eks.dev',
    authorOrganization: true,
    repositoryUrl: REPOSITORY,
    repositoryDirectory: `packages/${options.name}`,
    license: 'Apache-2.0',
    ...TOOLCHAIN,
    jsiiVersion: VERSIONS.jsii,
    constructsVersion: VERSIONS.constructs,
    stability: 'experimental',
    deps: options.deps,
    bundledDeps: options.deps,
    devDeps: options.devDeps,
    docgen: true,
    // Each library is versioned, tagged and changelogged from the commits under its own folder only.
    release: true,
    releaseToNpm: true,
    npmAccess: javascript.NpmAccess.PUBLIC,
    releaseTagPrefix: `${options.name}@`,
    // `npx projen release` in the library folder bumps, builds and tags locally; the monorepo's
    // release workflow (projenrc/release-workflow.ts) pushes the tag and publishes. The changelog of
    // each version is the tag's annotation and GitHub release notes: a committed CHANGELOG.md would
    // add a "chore(release)" commit, and projen skips the next library's bump on such a HEAD.
    releaseTrigger: release.ReleaseTrigger.manual({ gitPushCommand: '', changelog: false }),
    releasableCommits: ReleasableCommits.featuresAndFixes('.'),
    versionrcOptions: { path: '.' },
    publishToPypi: { distName: `s3www-eks.${options.name}`, module: `s3www_eks.${options.name}` },
    publishToMaven: {
      javaPackage: `dev.s3wwweks.${options.name}`,
      mavenGroupId: 'dev.s3www-eks',
      mavenArtifactId: options.name,
    },
    publishToNuget: { dotNetNamespace: `S3wwwEks.${pascal}`, packageId: `S3wwwEks.${pascal}` },
    publishToGo: { moduleName: 'github.com/s3www-eks/s3www-eks-go', packageName: options.name.replace(/-/g, '') },
    jestOptions: jestOptions(coverage),
    gitignore: ['.jsii.tabl.json', '*.tabl.json'],
  } satisfies Partial<cdk.JsiiProjectOptions> & { parent: typescript.TypeScriptProject; constructsVersion: string };
}

/**
 * The private package of code that both cdk8s libraries use (validation, images, credentials,
 * resources, disruption budgets, labels, NetworkPolicy connections). It is plain TypeScript, never
 * published: each library bundles its compiled copy (`bundledDependencies`), so no public library
 * depends on another and a consumer installs nothing but the libraries. Public types stay in the
 * libraries (jsii needs them there); this package holds the logic behind them.
 */
export function privatePackage(root: typescript.TypeScriptProject, options: LibraryOptions): typescript.TypeScriptProject {
  const project = new typescript.TypeScriptProject({
    ...TOOLCHAIN,
    parent: root,
    outdir: `packages/${options.name}`,
    name: `@s3www-eks/${options.name}`,
    description: options.description,
    licensed: true,
    license: 'Apache-2.0',
    copyrightOwner: 's3www-eks maintainers',
    release: false,
    // The bundling libraries resolve these to their own peers, so the objects are of one cdk8s.
    peerDeps: [`cdk8s@^${VERSIONS.cdk8s}`, `cdk8s-plus-33@^${VERSIONS.cdk8sPlus33}`, `constructs@^${VERSIONS.constructs}`],
    devDeps: options.devDeps,
    jestOptions: jestOptions(options.coverage ?? 90),
  });
  project.package.addField('private', true);
  // projen points typeRoots at the package's own node_modules; the workspace hoists @types to the root.
  project.tsconfig?.file.addDeletionOverride('compilerOptions.typeRoots');
  project.tsconfigDev?.file.addDeletionOverride('compilerOptions.typeRoots');
  project.compileTask.exec(RECORD_COMPILE);
  fastTestLoop(project);
  return project;
}

/**
 * Bundles the private package into a library: a runtime dependency listed in `bundledDependencies`.
 * npm packs bundled dependencies from the library's own node_modules, which an npm workspace leaves
 * empty (it links every member at the root), so `prepack` copies the compiled private package there
 * and `postpack` removes the copy again: every `npm pack` (jsii-pacmak's included) ships it, and the
 * workspace never resolves a stale copy.
 */
export function bundlePrivatePackage(library: cdk.JsiiProject, bundled: javascript.NodeProject): void {
  const name = bundled.package.packageName;
  library.addBundledDeps(`${name}@*`);
  // The library compiles and tests against the package's lib/: compile it first where it changed
  // (a library's own build, or its release job right after `npm ci`; a no-op in the root build).
  const compileBundled = `node ../../tools/compile-if-changed.js ${relative(library.root.outdir, bundled.outdir)}`;
  library.compileTask.prependExec(compileBundled);
  library.testTask.prependExec(compileBundled);
  library.package.setScript('prepack', `node ../../tools/bundle-private.js copy ${name}`);
  library.package.setScript('postpack', `node ../../tools/bundle-private.js remove ${name}`);
}

/** A jsii library of AWS CDK constructs (aws-cdk-lib and constructs as peers). */
export function awsCdkLibrary(root: typescript.TypeScriptProject, options: LibraryOptions): awscdk.AwsCdkConstructLibrary {
  const project = new awscdk.AwsCdkConstructLibrary({
    ...sharedOptions(root, options),
    cdkVersion: VERSIONS.awsCdkLib,
  });
  finishLibrary(project);
  return project;
}

/** A jsii library of cdk8s constructs (cdk8s, cdk8s-plus-33 and constructs as peers; no AWS dependency). */
export function cdk8sLibrary(root: typescript.TypeScriptProject, options: LibraryOptions): cdk8s.ConstructLibraryCdk8s {
  const project = new cdk8s.ConstructLibraryCdk8s({
    ...sharedOptions(root, options),
    cdk8sVersion: VERSIONS.cdk8s,
  });
  project.addPeerDeps(`cdk8s-plus-33@^${VERSIONS.cdk8sPlus33}`);
  finishLibrary(project);
  return project;
}

/** Build steps projen's jsii projects lack: hoist-aware docgen and strict rosetta. */
function finishLibrary(project: cdk.JsiiProject): void {
  // jsii warns on every run that Node 20 is past end-of-life; the libraries support Node >= 20 on purpose.
  project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
  fastTestLoop(project);
  // cfn-lint runs on every template the tests synthesize; CDK's own CloudFormation validation
  // plugin would repeat that check at seconds and ~350 MB per synth.
  project.testTask.env('CDK_VALIDATION', 'false');
  // The main job and the benchmarks compile only what changed since this record (tools/compile-if-changed.js).
  project.compileTask.exec(RECORD_COMPILE);
  // jsii-docgen only looks for dependency assemblies beside the package; ours are hoisted to the root.
  project.tasks.tryFind('docgen')?.reset('node ../../tools/docgen.js');
  // README and @example snippets must compile in every jsii language. tools/rosetta.js runs
  // `jsii-rosetta extract --strict` with a translation cache outside the repository: a fresh clone
  // otherwise recompiles every unchanged snippet (2 min 45 s for the cluster's).
  const rosetta = project.addTask('rosetta', {
    description: 'Compile README and @example snippets under jsii-rosetta --strict',
    exec: 'node ../../tools/rosetta.js',
  });
  project.postCompileTask.spawn(rosetta);
  // Locally and in the PR build only the npm tarball is made; the release workflow sets
  // PACKAGE_ALL_LANGUAGES on a runner with the Python, Java, .NET and Go toolchains.
  project.packageTask.reset();
  const allLanguages = 'process.env.PACKAGE_ALL_LANGUAGES';
  project.packageTask.spawn(project.tasks.tryFind('package:js')!, { condition: `node -e "process.exit(${allLanguages} ? 1 : 0)"` });
  project.packageTask.spawn(project.tasks.tryFind('package-all')!, { condition: `node -e "process.exit(${allLanguages} ? 0 : 1)"` });
  project.npmignore?.exclude('/rosetta/', '*.tabl.json', '/test-assets/');
}

/**
 * The edit loop (issue 19, goal 2), measured on 2 cores: eslint's typed rules use one TypeScript
 * program (the tests', which imports every source; a source no test imports falls back to the
 * library's) instead of one for src and another for test. jest as fastJest runs it.
 */
export function fastTestLoop(project: javascript.NodeProject): void {
  fastJest(project);
  project.tryFindObjectFile('.eslintrc.json')!.addOverride('parserOptions.projectService', false);
  project.tryFindObjectFile('.eslintrc.json')!.addOverride('parserOptions.project', ['./test/tsconfig.json', './tsconfig.json']);
}

/**
 * jest on 2 cores, for the libraries and the app: V8's precise coverage cost over a second per test
 * file (the inspector restarts it for every file), so coverage instruments our sources instead
 * (babel, cached with the transform), with the same thresholds; and jest's main process idles while
 * tests run, so every core gets a worker. The app's suite, in band, took 308 s of a 14-minute CI run;
 * with both it takes about 150 s (CONTRIBUTING.md, "Speed").
 */
export function fastJest(project: javascript.NodeProject): void {
  project.tryFindObjectFile('package.json')!.addOverride('jest.coverageProvider', 'babel');
  project.tryFindObjectFile('package.json')!.addOverride('jest.maxWorkers', '100%');
}
