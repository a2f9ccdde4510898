import { awscdk, javascript, JsonFile, Task, typescript } from 'projen';
import { awsCdkLibrary, bundlePrivatePackage, cdk8sLibrary, fastJest, JEST_SCRATCH, privatePackage, RECORD_COMPILE, TOOLCHAIN } from './projenrc/libraries';
import { addMutationTesting } from './projenrc/mutation';
import { addReleaseWorkflow, REAL_PROGRAMS, ROSETTA_CACHE, TEST_TOOLS } from './projenrc/release-workflow';
import { VERSIONS } from './projenrc/versions';
import { WorkspaceInstall } from './projenrc/workspace';

const root = new typescript.TypeScriptProject({
  ...TOOLCHAIN,
  name: 's3www-eks',
  description: 'Construct libraries that deploy the s3www web server with a MinIO backend on AWS EKS',
  projenrcTs: true,
  licensed: true,
  license: 'Apache-2.0',
  copyrightOwner: 's3www-eks maintainers',
  // The root is a workspace, not a package: it is never built, packed or released itself.
  release: false,
  package: false,
  jest: false,
  srcdir: 'projenrc',
  disableTsconfig: true,
  tsconfigDev: { include: ['.projenrc.ts', 'projenrc/**/*.ts', 'tools/**/*.ts'], compilerOptions: {} },
  eslintOptions: { dirs: ['projenrc', 'tools'], devdirs: ['tools'] },
  devDeps: [
    `constructs@${VERSIONS.constructs}`,
    `jsii-docgen@${VERSIONS.jsiiDocgen}`,
    // jsii-docgen accepts jsii-rosetta 5.9 or 6; pinning 5.9 at the root keeps one jsii toolchain hoisted.
    `jsii@${VERSIONS.jsii}`,
    `jsii-rosetta@${VERSIONS.jsii}`,
    // tools/testing: checks shared by every package's tests.
    `aws-cdk-lib@${VERSIONS.awsCdkLib}`,
    `cdk-nag@${VERSIONS.cdkNag}`,
    // 4.x and 4.4.x are the last CommonJS releases; jest cannot load the ESM-only 5.x schemas.
    'kubernetes-models@^4.5.1',
    '@kubernetes-models/prometheus-operator@^4.4.4',
  ],
  gitignore: ['cdk.out', '.jsii.tabl.json'],
  // npm 11 runs no dependency install scripts unless allowed; esbuild bundles the seeder and app assets.
  allowScripts: ['esbuild'],
  workflowNodeVersion: '22.x',
  // The tests run the real cfn-lint, moto_server and promtool.
  buildWorkflowOptions: { preBuildSteps: [...TEST_TOOLS, ...REAL_PROGRAMS, ...ROSETTA_CACHE], mutableBuild: false },
});

// tools/ holds the build and test helpers every package shares; eslint's project service
// type-checks each folder through its nearest tsconfig.json.
new JsonFile(root, 'tools/tsconfig.json', {
  obj: {
    extends: '../tsconfig.dev.json',
    compilerOptions: { noEmit: true, rootDir: '..' },
    include: ['**/*.ts'],
    exclude: ['node_modules'],
  },
});

const workspace = new WorkspaceInstall(root);

const network = awsCdkLibrary(root, {
  name: 'network',
  description: 'A production multi-AZ VPC for Amazon EKS: subnets tagged for load balancers, NAT, flow logs and VPC endpoints',
  keywords: ['vpc', 'aws-cdk', 'networking'],
  // The deploy test drives the real CDK CLI against moto_server and reads resources back through EC2.
  devDeps: [`aws-cdk@${VERSIONS.awsCdkCli}`, '@aws-sdk/client-ec2@^3', 'ts-node@^10.9.2'],
});

const cluster = awsCdkLibrary(root, {
  name: 'cluster',
  description: 'An Amazon EKS cluster on aws-eks-v2 with the add-ons a production cluster needs',
  keywords: ['kubernetes', 'aws-cdk', 'aws-eks-v2'],
});
// The kubectl layer is a jsii library: jsii needs it as a peer (and projen adds the pinned dev copy);
// bundling would give every jsii language its own unreachable copy of the assembly.
cluster.addPeerDeps(`cdk8s@^${VERSIONS.cdk8s}`, '@aws-cdk/lambda-layer-kubectl-v36@^2.0.1');

// What both cdk8s libraries share lives once, in a private package each of them bundles.
const cdk8sCommon = privatePackage(root, {
  name: 'cdk8s-common',
  description: 'Internal: the code the minio and s3www libraries share; bundled into both, never published',
  keywords: [],
});

const minio = cdk8sLibrary(root, {
  name: 'minio',
  description: 'MinIO object storage for any Kubernetes cluster, hardened by default (cdk8s)',
  keywords: ['minio', 'cdk8s', 'object-storage'],
  // Tests parse every alert and dashboard expression with Prometheus' own PromQL grammar.
  devDeps: ['@prometheus-io/lezer-promql@^0.315.0', '@lezer/lr@^1.4.2', '@lezer/highlight@^1.2.1'],
});

const s3www = cdk8sLibrary(root, {
  name: 's3www',
  description: 'The s3www web server and a content seeder for any S3-compatible backend (cdk8s)',
  keywords: ['cdk8s', 'static-site', 's3'],
  // The seeder is bundled into assets/seeder/index.js; the SDK is bundled, never a runtime dependency.
  // (lib-storage's Upload is not used: its per-part buffers kept the seeder above 128 MiB.)
  devDeps: ['@aws-sdk/client-s3@^3', 'esbuild@^0.28'],
});
// The seeder bundle is built from seeder/*.ts by `compile` itself (the root build runs compile, not
// pre-compile), shipped in the npm package, and never committed: it is an output, like lib/.
s3www.compileTask.prependExec('node seeder/build.mjs');
s3www.gitignore.exclude('/assets/seeder/');
// The package ships the bundle, not the seeder's sources or the benchmark.
s3www.npmignore?.exclude('/seeder/', '/benchmark/');
s3www.eslint?.addLintPattern('seeder');
// The seeder has a TypeScript program of its own (seeder/tsconfig.json) for eslint's typed rules.
s3www.tryFindObjectFile('.eslintrc.json')!.addOverride('parserOptions.project', ['./test/tsconfig.json', './tsconfig.json', './seeder/tsconfig.json']);
// The SDK is bundled into the seeder at build time, so it stays a devDependency.
s3www.eslint?.allowDevDeps('seeder/**');
// Coverage measures the jsii library; the seeder runs as the bundled child process in
// test/seeder.test.ts against moto_server, where jest cannot instrument it.
s3www.tryFindObjectFile('package.json')?.addOverride('jest.collectCoverageFrom', ['src/**/*.ts']);
s3www.addTask('benchmark', {
  description: 'Seeder peak RSS and throughput against `mc cp` and `aws s3 cp` for a 1 GiB source on the real MinIO (`-- --backend moto`: moto_server) (not a test)',
  exec: 'node benchmark/seeder.mjs',
  receiveArgs: true,
});

bundlePrivatePackage(minio, cdk8sCommon);
bundlePrivatePackage(s3www, cdk8sCommon);

const libraries = [network, cluster, minio, s3www];

const reference = new awscdk.AwsCdkTypeScriptApp({
  parent: root,
  outdir: 'apps/reference',
  name: '@s3www-eks/reference',
  description: 'The s3www-eks reference system: network, cluster, MinIO and s3www in dev, staging and prod',
  ...TOOLCHAIN,
  cdkVersion: VERSIONS.awsCdkLib,
  cdkCliVersion: VERSIONS.awsCdkCli,
  constructsVersion: VERSIONS.constructs,
  release: false,
  jestOptions: {
    passWithNoTests: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // Each environment is synthesized once per test file, in a beforeAll, and checked many times.
    jestConfig: { testTimeout: 300_000, ...JEST_SCRATCH },
  },
  deps: [
    ...libraries.map((lib) => `${lib.package.packageName}@*`),
    `cdk8s@${VERSIONS.cdk8s}`,
    `cdk8s-plus-33@${VERSIONS.cdk8sPlus33}`,
    // Reads the written manifests back: cdk8s' Yaml.load starts a child process per file (2 s per environment).
    'yaml@^2.9.1',
    // A peer of @s3www-eks/cluster (the kubectl layer); the benchmark's plain aws-eks-v2 stack uses it too.
    '@aws-cdk/lambda-layer-kubectl-v36@^2.0.1',
  ],
});
reference.package.addField('private', true);
// projen points typeRoots at the app's own node_modules; the workspace hoists @types to the root.
reference.tsconfig?.file.addDeletionOverride('compilerOptions.typeRoots');
// cfn-lint runs on every template the tests synthesize; CDK's own validation would repeat it.
reference.testTask.env('CDK_VALIDATION', 'false');
fastJest(reference);
// The main job: every environment synthesized offline into cdk.out/<env>, plain manifests into
// dist/manifests/<env>, and a summary. The root's `main` task runs it (`npx projen main` at the root).
// The app is compiled like the libraries, so the main job runs JavaScript and type-checks nothing
// at run time; the record lets the main job skip the compile while nothing changed.
reference.compileTask.exec('tsc -p tsconfig.json');
reference.compileTask.exec(RECORD_COMPILE);
reference.eslint?.addLintPattern('benchmark');
reference.eslint?.allowDevDeps('benchmark/**');

for (const member of [cdk8sCommon, ...libraries, reference]) {
  workspace.addMember(member);
}

// What a fresh clone runs right after `npm ci` (the README's quick start) compiles first, and only
// what changed since the last compile: the workspace links resolve to each library's lib/ and to
// the seeder bundle, which exist only once compiled.
const compileChanged = (targets: javascript.NodeProject[]) =>
  `node ../../tools/compile-if-changed.js ${targets.map((t) => workspace.dirOf(t)).join(' ')}`;
reference.addTask('main', {
  description: 'Synthesize dev, staging and prod offline: cdk.out/<env>, dist/manifests/<env>, and a summary',
  steps: [{ exec: compileChanged([cdk8sCommon, ...libraries, reference]) }, { exec: 'node lib/main-job.js', receiveArgs: true }],
});
// ts-node keeps its V8 compile cache in os.tmpdir() unless told otherwise: in node_modules/.cache,
// like every other cache of ours, nothing is left in /tmp (CONTRIBUTING.md, "Temporary files").
const tsNodeCache = (toRoot: string) => ({ V8_COMPILE_CACHE_CACHE_DIR: `${toRoot}node_modules/.cache/v8-compile-cache` });
Object.entries(tsNodeCache('')).forEach(([name, value]) => root.defaultTask!.env(name, value));
reference.addTask('benchmark', {
  description: 'prod synth time, memory and template figures against plain aws-eks-v2 (not a test)',
  env: tsNodeCache('../../'),
  steps: [
    { exec: compileChanged([cdk8sCommon, ...libraries]) },
    { exec: 'ts-node -P benchmark/tsconfig.json benchmark/run.ts', receiveArgs: true },
  ],
});
s3www.tasks.tryFind('benchmark')!.prependExec(compileChanged([cdk8sCommon, s3www]));
// The local stack for Docker Compose, from the dev environment's objects (src/compose.ts).
reference.addTask('compose', {
  description: 'Write dist/compose/docker-compose.yaml (and the seeder files) from the dev environment',
  steps: [{ exec: compileChanged([cdk8sCommon, ...libraries, reference]) }, { exec: 'node lib/compose.js' }],
});
// The real s3www by hand and the serving benchmark: needs S3WWW_BINARY (nothing here can build s3www).
reference.addTask('benchmark:serving', {
  description: 'HTTP checks through the real s3www and wrk figures against MinIO; needs S3WWW_BINARY (not a test)',
  env: tsNodeCache('../../'),
  steps: [
    { exec: compileChanged([cdk8sCommon, ...libraries]) },
    { exec: 'ts-node -P benchmark/tsconfig.json benchmark/serving.ts', receiveArgs: true },
  ],
});
// `cdk synth|deploy` in apps/reference (the deploy steps of its README) compile the same way first,
// then run the compiled app.
reference.cdkConfig.json.addOverride('build', compileChanged([cdk8sCommon, ...libraries, reference]));
reference.cdkConfig.json.addOverride('app', 'node lib/main.js');
addReleaseWorkflow(root, libraries.map((lib) => ({ dir: workspace.dirOf(lib), name: lib.package.packageName })));

// The root's build runs each phase across the members in dependency order (libraries, then the
// app), so the packages compile, then test, then pack; a failing step stops the run.
const members = [cdk8sCommon, ...libraries, reference];
const runInMembers = (task: Task, memberTasks: string[], targets: javascript.NodeProject[] = members) => {
  for (const member of targets) {
    for (const name of memberTasks) {
      task.exec(`npx projen ${name}`, { cwd: workspace.dirOf(member) });
    }
  }
};
root.compileTask.reset();
runInMembers(root.compileTask, ['pre-compile', 'compile', 'post-compile']);
root.testTask.reset();
root.testTask.spawn(root.tasks.tryFind('eslint')!);
root.testTask.exec('node tools/check-workspace.js');
// The shared test tools are compiled by each package's ts-jest only in part; type-check them whole.
root.testTask.exec('tsc --noEmit -p tools/tsconfig.json');
runInMembers(root.testTask, ['test']);
root.packageTask.reset();
runInMembers(root.packageTask, ['package'], libraries);

// The libraries in Python, Java and Go: jsii-pacmak into each library's dist/ (what the release
// publishes, less dist/js and dist/dotnet), then the consumer projects of test/consumers install and
// use them. Neither is part of `build`, so the JavaScript loop stays as fast; `.ci/run` runs both.
root.addTask('package:bindings', {
  description: 'Python wheel and sdist, Maven artifacts and Go module of every library, into packages/*/dist (jsii-pacmak)',
  exec: 'node tools/bindings/build.js',
  receiveArgs: true,
});
root.addTask('test:consumers', {
  description: 'Build the Python, Java and Go packages, then run the consumer projects of test/consumers against them',
  exec: 'bash test/consumers/run.sh',
  receiveArgs: true,
});
// Maven's output and the links to the Go stand-ins (tools/bindings/build.js) of the consumer projects.
root.gitignore.exclude('/test/consumers/java/target/', '/test/consumers/go/.stand-ins/');

// Speed figures of CONTRIBUTING.md (not a test): main job against plain aws-eks-v2, edit loops, CI phases.
root.addTask('benchmark:speed', {
  description: 'Main job against plain aws-eks-v2, each package\'s edit loop, and (with `ci`) the phases of a fresh .ci/run',
  exec: 'node tools/benchmark/speed.mjs',
  receiveArgs: true,
});
reference.gitignore.exclude('/.speed-benchmark/');

// The main job: synthesize the reference system offline (CloudFormation and plain manifests).
root.addTask('main', {
  description: 'Synthesize the reference app for every environment, offline, and print a summary',
  steps: [{ exec: 'npx projen main', cwd: workspace.dirOf(reference), receiveArgs: true }],
});
root.addTask('compose', {
  description: 'Write the Docker Compose local stack (apps/reference/dist/compose) from the dev environment',
  steps: [{ exec: 'npx projen compose', cwd: workspace.dirOf(reference) }],
});

// Mutation testing (StrykerJS) of the seeder, of the reference app's sources and of the network
// library: on demand and in a weekly workflow, never in the build (CONTRIBUTING.md, "Mutation testing").
addMutationTesting(root, workspace, [
  {
    name: 'network',
    project: network,
    what: 'the network library (packages/network/src)',
    prepare: [],
  },
  {
    name: 'seeder',
    project: s3www,
    what: 'the s3www seeder (packages/s3www/seeder)',
    prepare: [`node ../../tools/compile-if-changed.js ${workspace.dirOf(cdk8sCommon)}`, 'node ../../tools/programs/build.js minio'],
  },
  {
    name: 'reference',
    project: reference,
    what: 'the reference app (apps/reference/src)',
    prepare: [`node ../../tools/compile-if-changed.js ${[cdk8sCommon, ...libraries].map((l) => workspace.dirOf(l)).join(' ')}`],
  },
]);

root.synth();
