import { github, javascript } from 'projen';
import { JobPermission } from 'projen/lib/github/workflows-model';

/**
 * The tools the packages' tests call for real: cfn-lint, moto_server, promtool, amtool, docker-compose,
 * and Go (at the version the programs' wrapper modules name) to build the programs below.
 */
export const TEST_TOOLS: github.workflows.JobStep[] = [
  { name: 'Setup Go', uses: 'actions/setup-go@v5', with: { 'go-version-file': 'tools/programs/kubernetes/go.mod', 'cache': false } },
  { name: 'Setup Python', uses: 'actions/setup-python@v5', with: { 'python-version': '3.12' } },
  { name: 'Install cfn-lint and moto_server', run: "pip install 'cfn-lint==1.*' 'moto[server]==5.*'" },
  { name: 'Install promtool', run: 'sudo apt-get update && sudo apt-get install -y --no-install-recommends prometheus' },
  { name: 'Install amtool', run: 'sudo apt-get install -y --no-install-recommends prometheus-alertmanager' },
  { name: 'Install docker-compose (the compose file check)', run: 'sudo apt-get install -y --no-install-recommends docker-compose' },
];

/**
 * The real programs the tests run against (kube-apiserver, etcd, kubectl, MinIO, mc), built from their
 * Go modules by tools/programs/build.js, after `npm ci` (kubectl comes from the pinned layer package).
 * The cache is keyed by the wrapper modules, as the script's own cache is, so a stale one never counts.
 */
export const REAL_PROGRAMS: github.workflows.JobStep[] = [
  {
    name: 'Cache the real programs',
    uses: 'actions/cache@v4',
    with: { path: '~/.cache/s3www-eks/programs', key: "programs-${{ runner.os }}-${{ hashFiles('tools/programs/**') }}" },
  },
  { name: 'Build the real programs', run: 'node tools/programs/build.js' },
];

/**
 * jsii-rosetta's translations of the README and @example snippets (tools/rosetta.js), kept between
 * runs: rosetta itself reuses one only when its snippet, fixture and types are unchanged, so the
 * newest cache of any key is safe to start from.
 */
export const ROSETTA_CACHE: github.workflows.JobStep[] = [
  {
    name: 'Cache the README snippet translations',
    uses: 'actions/cache@v4',
    with: {
      'path': '~/.cache/s3www-eks/rosetta',
      'key': "rosetta-${{ runner.os }}-${{ hashFiles('package-lock.json', 'packages/*/README.md', 'packages/*/src/**', 'packages/*/rosetta/**') }}",
      'restore-keys': 'rosetta-${{ runner.os }}-',
    },
  },
];

/** A library the release workflow releases, in the order given. */
export interface ReleasedLibrary {
  /** Folder relative to the repository root. */
  readonly dir: string;
  readonly name: string;
}

const PUBLIB = 'publib@0';

/**
 * One release workflow for the whole monorepo.
 *
 * projen's per-project release workflows re-checkout the repository root and unpack each tarball
 * there, which breaks in a workspace. Here each library runs its own `npx projen release` in its
 * folder (bump from the conventional commits under that folder only, build, unbump, tag locally as
 * `<name>@vX.Y.Z`), then, only when that produced a new tag, publishes every jsii target whose
 * credentials exist, pushes the tag and creates the GitHub release. Libraries run one after the
 * other in dependency order, so a failure stops the ones after it.
 */
export function addReleaseWorkflow(root: javascript.NodeProject, libraries: ReleasedLibrary[]): void {
  const gh = github.GitHub.of(root);
  if (!gh) throw new Error('the root project needs GitHub enabled for the release workflow');
  const workflow = gh.addWorkflow('release');
  workflow.on({
    push: { branches: ['main'] },
    workflowDispatch: { inputs: { dry_run: { description: 'Build and tag locally, publish nothing', type: 'boolean', required: false } } },
  });
  workflow.addJob('release', {
    runsOn: ['ubuntu-latest'],
    permissions: { contents: JobPermission.WRITE, idToken: JobPermission.WRITE },
    env: { CI: 'true', PACKAGE_ALL_LANGUAGES: 'true', PUBLIB_DRYRUN: '${{ inputs.dry_run }}' },
    steps: [
      { name: 'Checkout', uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
      {
        name: 'Set git identity',
        run: 'git config user.name "github-actions[bot]"\ngit config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
      },
      { name: 'Setup Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': '22.x' } },
      ...TEST_TOOLS,
      { name: 'Setup Java', uses: 'actions/setup-java@v4', with: { 'distribution': 'temurin', 'java-version': '17' } },
      { name: 'Setup .NET', uses: 'actions/setup-dotnet@v4', with: { 'dotnet-version': '8.x' } },
      { name: 'Install dependencies', run: 'npm ci' },
      ...REAL_PROGRAMS,
      ...ROSETTA_CACHE,
      ...libraries.flatMap((lib) => releaseSteps(lib)),
    ],
  });
}

function releaseSteps(lib: ReleasedLibrary): github.workflows.JobStep[] {
  const publish = (tool: string, dir: string, secret?: string) => secret
    ? `if [ -n "$${secret}" ]; then npx -p ${PUBLIB} ${tool} ${dir}; else echo "${secret} not set: ${dir} not published"; fi`
    : `npx -p ${PUBLIB} ${tool} ${dir}`;
  return [
    { name: `Release ${lib.name}`, workingDirectory: lib.dir, run: 'npx projen release' },
    {
      name: `Publish ${lib.name}`,
      workingDirectory: lib.dir,
      env: {
        NPM_TOKEN: '${{ secrets.NPM_TOKEN }}',
        NPM_CONFIG_PROVENANCE: 'true',
        TWINE_USERNAME: '${{ secrets.TWINE_USERNAME }}',
        TWINE_PASSWORD: '${{ secrets.TWINE_PASSWORD }}',
        MAVEN_USERNAME: '${{ secrets.MAVEN_USERNAME }}',
        MAVEN_PASSWORD: '${{ secrets.MAVEN_PASSWORD }}',
        MAVEN_GPG_PRIVATE_KEY: '${{ secrets.MAVEN_GPG_PRIVATE_KEY }}',
        MAVEN_GPG_PRIVATE_KEY_PASSPHRASE: '${{ secrets.MAVEN_GPG_PRIVATE_KEY_PASSPHRASE }}',
        MAVEN_STAGING_PROFILE_ID: '${{ secrets.MAVEN_STAGING_PROFILE_ID }}',
        NUGET_API_KEY: '${{ secrets.NUGET_API_KEY }}',
        GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
        GO_GITHUB_TOKEN: '${{ secrets.GO_GITHUB_TOKEN }}',
      },
      run: [
        'TAG=$(cat dist/releasetag.txt)',
        'if ! git tag --points-at HEAD | grep -qxF "$TAG"; then echo "no releasable commits: nothing to publish"; exit 0; fi',
        'if git ls-remote --exit-code --tags origin "refs/tags/$TAG" >/dev/null; then echo "$TAG already released"; exit 0; fi',
        // Exactly the packages of this version, one per language, and nothing else under dist/<language>.
        'node ../../tools/bindings/check-dist.js js python java dotnet go',
        publish('publib-npm', 'dist/js'),
        publish('publib-pypi', 'dist/python', 'TWINE_PASSWORD'),
        publish('publib-maven', 'dist/java', 'MAVEN_PASSWORD'),
        publish('publib-nuget', 'dist/dotnet', 'NUGET_API_KEY'),
        `if [ -n "$GO_GITHUB_TOKEN" ]; then GITHUB_TOKEN=$GO_GITHUB_TOKEN npx -p ${PUBLIB} publib-golang dist/go; else echo "GO_GITHUB_TOKEN not set: dist/go not published"; fi`,
        'if [ "$PUBLIB_DRYRUN" = "true" ]; then echo "dry run: $TAG not pushed"; exit 0; fi',
        'git push origin "refs/tags/$TAG"',
        'gh release create "$TAG" --verify-tag --title "$TAG" --notes-file dist/changelog.md',
      ].join('\n'),
    },
  ];
}
