import { relative } from 'path';
import { Component, javascript } from 'projen';

/**
 * Makes the root project the only place that installs dependencies.
 *
 * projen synthesizes subprojects before the root and lets each one run its own
 * `npm install`; inside an npm workspace that install cannot resolve siblings and
 * projen then drops the unresolved dependencies from the subproject's
 * package.json. cdklabs-projen-project-types and aws/pdk solve it the same way:
 * subprojects never install, the root installs once, then each subproject
 * resolves its dependency versions against the root's node_modules.
 */
export class WorkspaceInstall extends Component {
  private readonly members: javascript.NodeProject[] = [];

  constructor(private readonly root: javascript.NodeProject) {
    super(root);
  }

  /** Adds a subproject to the root's npm `workspaces` and defers its install to the root. */
  public addMember(member: javascript.NodeProject): void {
    this.members.push(member);
    // A subproject's own post-synthesis would run `npm install` inside the workspace.
    (member.package as unknown as { postSynthesize(): void }).postSynthesize = () => {};
    // By default a subproject's `default` task re-synthesizes the whole repository.
    member.defaultTask?.reset();
    this.root.package.addField('workspaces', this.members.map((m) => this.dirOf(m)));
  }

  /** The member's folder relative to the root, as npm workspaces and task `cwd`s want it. */
  public dirOf(member: javascript.NodeProject): string {
    return relative(this.root.outdir, member.outdir);
  }

  public postSynthesize(): void {
    // The root NodePackage has already installed if the root package.json changed.
    // A member's package.json may have changed on its own: install again (a no-op when up to date).
    if (this.members.some((m) => m.package.file.changed)) {
      this.install();
    }
    // Resolve peer-pinned devDependencies and "*" ranges now that node_modules is complete.
    const resolved = this.members.flatMap((m) => callResolve(m.package));
    if (resolved.length > 0) {
      this.install();
    }
  }

  private install(): void {
    const pkg = this.root.package;
    const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
    this.root.tasks.runTask((ci ? pkg.installCiTask : pkg.installTask).name);
  }
}

function callResolve(pkg: javascript.NodePackage): string[] {
  const resolve = (pkg as unknown as { resolveDepsAndWritePackageJson(): string[] | undefined }).resolveDepsAndWritePackageJson;
  return resolve.call(pkg) ?? [];
}
