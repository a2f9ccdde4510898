import { github, javascript } from 'projen';
import { JobPermission } from 'projen/lib/github/workflows-model';
import { TEST_TOOLS } from './release-workflow';
import { WorkspaceInstall } from './workspace';

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
  /** The package; its configuration and reports stay out of its npm tarball. */
  readonly project: javascript.NodeProject;
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
export function addMutationTesting(root: javascript.NodeProject, workspace: WorkspaceInstall, targets: MutationTarget[]): void {
  const dirOf = (target: MutationTarget) => workspace.dirOf(target.project);
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
    root.gitignore.exclude(`/${dirOf(target)}/reports/mutation/`);
    target.project.addPackageIgnore('/stryker.config.mjs');
    target.project.addPackageIgnore('/reports/');
    const task = root.addTask(`mutation:${target.name}`, {
      description: `Mutation testing (StrykerJS) of ${target.what}; report in ${dirOf(target)}/reports/mutation`,
    });
    for (const step of target.prepare) task.exec(step, { cwd: dirOf(target) });
    // `stryker run` with every temporary file in .stryker-tmp/, removed at the end (tools/stryker/run.mjs).
    task.exec('node ../../tools/stryker/run.mjs', { cwd: dirOf(target), receiveArgs: true });
    all.spawn(task);
  }
  addMutationWorkflow(root, targets.map((target) => ({ ...target, dir: dirOf(target) })));
}

/** Weekly and on demand: every target in a job of its own, its HTML and JSON reports kept as an artifact. */
function addMutationWorkflow(root: javascript.NodeProject, targets: Array<MutationTarget & { dir: string }>): void {
  const gh = github.GitHub.of(root);
  if (!gh) throw new Error('the root project needs GitHub enabled for the mutation workflow');
  const workflow = gh.addWorkflow('mutation');
  workflow.on({
    // Mondays at 03:17 UTC: the run takes hours, so not on every change.
    schedule: [{ cron: '17 3 * * 1' }],
    workflowDispatch: {},
  });
  // A job per target: each has its own time limit, a target below the goal fails its own job only, and
  // the reports of each are an artifact of their own.
  for (const target of targets) {
    workflow.addJob(`mutation-${target.name}`, {
      runsOn: ['ubuntu-latest'],
      permissions: { contents: JobPermission.READ },
      // A run that hangs is stopped. The reference app's first runs of its files added up to 3 h 16 min
      // on 2 cores (CONTRIBUTING.md, "Mutation testing").
      timeoutMinutes: 360,
      env: { CI: 'true' },
      steps: [
        { name: 'Checkout', uses: 'actions/checkout@v4' },
        { name: 'Setup Node.js', uses: 'actions/setup-node@v4', with: { 'node-version': '22.x' } },
        // With Go: the seeder's tests run against the real MinIO, which its task builds (tools/programs).
        ...TEST_TOOLS,
        { name: 'Install dependencies', run: 'npm ci' },
        { name: `Mutation testing: ${target.what}`, run: `npx projen mutation:${target.name}` },
        {
          name: 'Upload the mutation report',
          if: 'always()',
          uses: 'actions/upload-artifact@v4',
          with: { 'name': `mutation-report-${target.name}`, 'path': `${target.dir}/reports/mutation/`, 'if-no-files-found': 'warn' },
        },
      ],
    });
  }
}

