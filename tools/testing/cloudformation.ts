/**
 * Checks on synthesized CloudFormation, shared by the AWS CDK libraries' and the app's tests:
 * the real `cfn-lint` on the templates, and the cdk-nag AwsSolutions pack through CDK's
 * validation-plugin API (cdk-nag 3 has no Aspects API).
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/** A finding of cfn-lint. */
export interface CfnLintFinding {
  readonly template: string;
  readonly rule: string;
  readonly level: string;
  readonly message: string;
  readonly path: string;
}

interface CfnLintJson {
  readonly Rule: { Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Filename: string;
  readonly Location: { Path?: unknown[] };
}

/**
 * Runs the real cfn-lint once over all the templates and returns its findings at level Error.
 * Throws when cfn-lint itself cannot run: a missing linter must never look like a clean template.
 */
export function cfnLintErrors(templates: Record<string, unknown>): CfnLintFinding[] {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-lint-'));
  try {
    const files = Object.entries(templates).map(([name, template]) => {
      const file = join(dir, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.template.json`);
      writeFileSync(file, JSON.stringify(template));
      return file;
    });
    const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.error) {
      throw new Error(`cfn-lint could not be started (${run.error.message}); install it with 'pip install cfn-lint'`);
    }
    // Exit codes: 0 clean, bit 2 error, bit 4 warning, bit 8 informational; 1 or 32 means cfn-lint failed.
    if (run.status === 1 || run.status === 32 || run.stdout.trim() === '') {
      if (run.status === 0) return [];
      throw new Error(`cfn-lint failed (exit ${run.status}): ${run.stderr}`);
    }
    const findings = JSON.parse(run.stdout) as CfnLintJson[];
    return findings
      .filter((f) => f.Level === 'Error')
      .map((f) => ({
        template: f.Filename.split('/').pop()!,
        rule: f.Rule.Id,
        level: f.Level,
        message: f.Message,
        path: (f.Location.Path ?? []).join('/'),
      }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails listing every finding when cfn-lint reports an error in any of the templates. */
export function expectCfnLintClean(templates: Record<string, unknown>): void {
  const errors = cfnLintErrors(templates);
  if (errors.length > 0) {
    throw new Error(`cfn-lint errors:\n${errors.map((e) => `  ${e.template} ${e.rule} at ${e.path}: ${e.message}`).join('\n')}`);
  }
}

/** A cdk-nag rule that fired and was not acknowledged. */
export interface NagFinding {
  readonly rule: string;
  readonly path: string;
  readonly description: string;
}

interface NagViolationJson {
  readonly ruleName: string;
  readonly description: string;
  readonly severity: string;
  readonly violatingConstructs: Array<{ constructPath: string }>;
}

/**
 * Synthesizes the app with the AwsSolutions pack and returns every unacknowledged error.
 * The app must have been created with an `outdir` (see {@link nagApp}).
 */
export function nagErrors(app: App): NagFinding[] {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
    return [];
  } catch (err) {
    const report = join(app.outdir, 'validation-report.json');
    if (!existsSync(report)) throw err;
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as { pluginReports: Array<{ violations: NagViolationJson[] }> };
    return parsed.pluginReports.flatMap((r) => r.violations)
      .filter((v) => v.severity === 'error' || v.severity === 'fatal')
      .flatMap((v) => v.violatingConstructs.map((c) => ({ rule: v.ruleName, path: c.constructPath, description: v.description })));
  }
}

/**
 * The rules acknowledged on one construct (`Validations.of(c).acknowledge`), each with its reason, by
 * rule id as cdk-nag names it (without the metadata's `Annotation::` prefix).
 */
export function acknowledgedRules(construct: IConstruct): Record<string, string> {
  return Object.fromEntries(construct.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>))
    .map(([id, reason]) => [id.replace(/^annotation::/i, ''), reason]));
}

/** Fails listing every unacknowledged cdk-nag AwsSolutions error in the app. */
export function expectNagClean(app: App): void {
  const errors = nagErrors(app);
  if (errors.length > 0) {
    throw new Error(`cdk-nag AwsSolutions errors:\n${errors.map((e) => `  ${e.rule} at ${e.path}: ${e.description}`).join('\n')}`);
  }
}

const nagOutdirs: string[] = [];

// Jest runs each test file in a sandbox whose `process` never emits 'exit'; a file-level afterAll
// (registered when a test file imports this module) removes the file's assembly folders instead.
const registerAfterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll;
if (registerAfterAll) {
  registerAfterAll(() => {
    nagOutdirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });
}

/**
 * An App writing to its own temporary folder, as {@link nagErrors} needs. The folder stays
 * readable until the test file ends, then it is removed.
 */
export function nagApp(props: ConstructorParameters<typeof App>[0] = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-nag-'));
  nagOutdirs.push(outdir);
  return new App({ ...props, outdir });
}
