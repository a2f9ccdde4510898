import { github, javascript } from 'projen';
import { JobPermission } from 'projen/lib/github/workflows-model';
import { TEST_TOOLS } from './release-workflow';

/**
 * StrykerJS 9.6 is the last release line that runs on Node 20 (10.x needs Node 22); it drives
 * jest 30 through its jest runner and type-checks each mutant with the TypeScript checker.
 */
export const STRYKER_VERSION = '9.6.1';

/** A package whose sources StrykerJS mutates, configured by its own `stryker.config.mjs`. */
export interface MutationTarget {
  /** The root task's name after `mutation:`. */
  readonly name: string;
  /** What is mutated, for the task's description. */
  readonly what: string;
  /** The package's folder relative to the root. */
  readonly dir: string;
  /** Run in that folder before Stryker, e.g. compiling what its tests import. */
  readonly prepare: string[];
}

/**
 * Mutation testing as a habit (issue 21): StrykerJS on demand (`npx projen mutation`, or one
 * target with `npx projen mutation:<name>`) and weekly in the `mutation` workflow, never in the
 * build or `.ci/run`: a run takes far longer than the whole build. Each target's Stryker config
 * puts its sandboxes in the root's `.stryker-tmp/` (so that the tests' `../../` paths to tools/
 * hold there as in the package) and its reports in `<package>/reports/mutation/`.
 */
export function addMutationTesting(root: javascript.NodeProject, targets: MutationTarget[]): void {
  root.addDevDeps(
    `@stryker-mutator/core@${STRYKER_VERSION}`,
    `@stryker-mutator/jest-runner@${STRYKER_VERSION}`,
    `@stryker-mutator/typescript-checker@${STRYKER_VERSION}`,
  );
  root.gitignore.exclude('/.stryker-tmp/');
  const all = root.addTask('mutation', {
    description: 'Mutation testing (StrykerJS) of every target below, one after the other; reports in <package>/reports/mutation',
  });
  for (const target of targets) {
    root.gitignore.exclude(`/${target.dir}/reports/mutation/`);
    const task = root.addTask(`mutation:${target.name}`, {
      description: `Mutation testing (StrykerJS) of ${target.what}; report in ${target.dir}/reports/mutation`,
    });
    for (const step of target.prepare) task.exec(step, { cwd: target.dir });
    // `stryker run` with every temporary file in .stryker-tmp/, removed at the end (tools/stryker/run.mjs).
    task.exec('node ../../tools/stryker/run.mjs', { cwd: target.dir, receiveArgs: true });
    all.spawn(task);
  }
  addMutationWorkflow(root, targets);
}

/** Weekly and on demand: every target, the HTML and JSON reports kept as an artifact. */
function addMutationWorkflow(root: javascript.NodeProject, targets: MutationTarget[]): void {
  const gh = github.GitHub.of(root);
  if (!gh) throw new Error('the root project needs GitHub enabled for the mutation workflow');
  const workflow = gh.addWorkflow('mutation');
  workflow.on({
    // Mondays at 03:17 UTC: the run takes hours, so not on every change.
    schedule: [{ cron: '17 3 * * 1' }],
    workflowDispatch: {},
  });
  workflow.addJob('mutation', {
    runsOn: ['ubuntu-latest'],
    permissions: { contents: JobPermission.READ },
    // A run that hangs is stopped; a normal run of both targets is well under this.
    timeoutMinutes: 360,
    env: { CI: 'true' },
    steps: [
      { name: 'Checkout', uses: 'actions/checkout@v4' },
      { name: 'Setup Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': '22.x' } },
      // With Go: the seeder's tests run against the real MinIO, which its task builds (tools/programs).
      ...TEST_TOOLS,
      { name: 'Install dependencies', id: 'install', run: 'npm ci' },
      // Each target in a step of its own: a target below the goal fails its step, and the next still runs.
      ...targets.map((target) => ({
        name: `Mutation testing: ${target.what}`,
        if: "!cancelled() && steps.install.outcome == 'success'",
        run: `npx projen mutation:${target.name}`,
      })),
      {
        name: 'Upload the mutation reports',
        if: 'always()',
        uses: 'actions/upload-artifact@v4',
        with: { 'name': 'mutation-reports', 'path': '*/*/reports/mutation/', 'if-no-files-found': 'warn' },
      },
    ],
  });
}
