/**
 * The main job: synthesizes every environment offline (no AWS credentials, no network), writes
 * the CloudFormation to `cdk.out/<env>` and the workload's plain manifests to
 * `dist/manifests/<env>`, refuses to finish when either holds secret material, and prints a
 * short summary.
 *
 * Run from the repository root with `npx projen --cwd apps/reference main` (or `npm run main`
 * in apps/reference).
 */
import { writeFileSync } from 'fs';
import { join, relative } from 'path';
import { EXAMPLE_CERTIFICATE_ARN, OFFLINE_TARGET } from './deployment-target';
import { EnvironmentName } from './environment-config';
import { environmentNamed } from './environments';
import { scanFiles, scanKubernetesObjects, scanTemplate, SecretFinding, textFilesUnder } from './secret-scan';
import { APP_DIR, OutputFolders, synthesizeEnvironment, SynthesizedEnvironment, templateFigures } from './synthesis';
import { CREDENTIAL_SECRETS, CREDENTIALS_PASSWORD_KEY, CREDENTIALS_USER_KEY, MINIO_USERS, MinioCredentialSecrets } from './workload-chart';

/** Output folders of an environment under the app folder. */
export function foldersOf(environment: string, base: string = APP_DIR): OutputFolders {
  return { cdkOut: join(base, 'cdk.out', environment), manifests: join(base, 'dist', 'manifests', environment) };
}

/** Every secret-material finding in what one environment wrote. */
export function secretFindings(out: SynthesizedEnvironment): SecretFinding[] {
  return [
    ...scanFiles(textFilesUnder(out.folders.cdkOut, out.folders.manifests)),
    ...Object.entries(out.templates).flatMap(([name, template]) => scanTemplate(name, template)),
    ...scanKubernetesObjects(out.objects),
  ];
}

/** A path as the summary prints it: relative to the working folder, `.` for the folder itself. */
export function displayPath(path: string): string {
  return relative(process.cwd(), path) || '.';
}

/** Runs the job and returns the summary lines; throws when secret material was written. */
export function runMainJob(environments: string[] = Object.values(EnvironmentName), base: string = APP_DIR): string[] {
  const lines = [
    `s3www-eks reference app: ${environments.length} environment(s) synthesized offline (account ${OFFLINE_TARGET.account}, region ${OFFLINE_TARGET.region})`,
    '',
    pad(['env', 'stack', 'resources', 'lambdas', 'custom res.', 'template KiB', 'manifests']),
  ];
  for (const environment of environments) {
    const out = synthesizeEnvironment(environment, foldersOf(environment, base));
    const findings = secretFindings(out);
    if (findings.length > 0) {
      throw new Error(`secret material in the output of ${environment}:\n${findings.map((f) => `  ${f.where}: ${f.what}`).join('\n')}`);
    }
    const figures = templateFigures(out.folders.cdkOut);
    lines.push(pad([
      environment,
      out.stackName,
      String(figures.resources),
      String(figures.lambdaFunctions),
      String(figures.customResources),
      (figures.templateBytes / 1024).toFixed(0),
      `${out.objects.length} objects in ${out.manifestFiles.length} files -> ${displayPath(out.folders.manifests)}`,
    ]));
  }
  writeFileSync(join(base, 'dist', 'manifests', 'README.md'), manifestsReadme(environments));
  return [...lines, ...closingLines(environments, displayPath(join(base, 'cdk.out')))];
}

/** The summary's last lines: where the assemblies are, the certificate the HTTPS-only environments got, how to deploy. */
export function closingLines(environments: string[], cdkOut: string): string[] {
  const https = environments.filter((e) => environmentNamed(e).httpsOnly);
  return [
    '',
    `Cloud assemblies: ${cdkOut}/<env>; no secret material found in them or in the manifests.`,
    ...(https.length ? [`HTTPS only (${https.join(', ')}): synthesized with the EXAMPLE certificate ${EXAMPLE_CERTIFICATE_ARN}; a deploy passes -c certificateArn=..., or -c domainName=... -c hostedZoneId=...`] : []),
    'Deploy (AWS credentials needed):  cd apps/reference && npx cdk bootstrap && npx cdk deploy -c env=<env>',
    'Plain manifests on any cluster:   see apps/reference/README.md, "Plain manifests"',
  ];
}

/** What each MinIO identity may do, in the order the Secrets are created. */
const IDENTITIES: Array<[keyof MinioCredentialSecrets, string]> = [
  ['root', 'MinIO\'s root user: read by MinIO and its bucket Job only'],
  ['site', 's3www\'s user: list and read the bucket'],
  ['seeder', 'the seeder\'s user: list, read and write the bucket, no delete'],
];

/** The `kubectl create secret` command of each MinIO identity, in `namespace`, with a generated secret key. */
export function credentialCommands(namespace: string): string[] {
  return IDENTITIES.flatMap(([identity, what]) => [
    `# ${what}`,
    `kubectl -n ${namespace} create secret generic ${CREDENTIAL_SECRETS[identity]} \\`,
    `  --from-literal=${CREDENTIALS_USER_KEY}=${MINIO_USERS[identity]} --from-literal=${CREDENTIALS_PASSWORD_KEY}="$(openssl rand -hex 20)"`,
  ]);
}

/** How to apply the plain manifests, written beside them. */
export function manifestsReadme(environments: string[]): string {
  // Every environment uses the same namespace; the first one names it.
  const namespace = environmentNamed(environments[0]).namespace;
  const https = environments.filter((e) => environmentNamed(e).httpsOnly);
  return [
    '# Plain manifests of the s3www-eks workload',
    '',
    'Written by the main job (`npx projen main`); do not edit, they are regenerated. One folder per environment:',
    environments.map((e) => `\`${e}/\``).join(', ') + '.',
    '',
    'They reference the Secrets of the three MinIO identities by name and hold no value: create each with its own',
    'generated secret key. MinIO\'s bucket Job creates the two users from their Secrets, each with a policy on the',
    'bucket only. On any cluster:',
    '',
    '```bash',
    'ENV=dev',
    'kubectl apply -f $ENV/Namespace.*.k8s.yaml',
    ...credentialCommands(namespace),
    'kubectl apply -f $ENV/',
    `kubectl -n ${namespace} port-forward svc/s3www 8080:80   # http://localhost:8080/giphy.gif`,
    '```',
    '',
    ...(https.length ? [
      `${https.map((e) => `\`${e}/\``).join(' and ')} serve HTTPS only: their Ingress carries the EXAMPLE certificate ${EXAMPLE_CERTIFICATE_ARN}`,
      '(in the `alb.ingress.kubernetes.io/certificate-arn` annotation of `Ingress.s3www.k8s.yaml`). Put the ARN of your ACM',
      'certificate there before applying, or the AWS Load Balancer Controller cannot create the HTTPS listener.',
      '',
    ] : []),
    'What they assume of the cluster (default StorageClass, NetworkPolicy support, CoreDNS labels, the AWS Load',
    'Balancer Controller for the Ingress) is in apps/reference/README.md, "Plain manifests".',
    '',
  ].join('\n');
}

/** Widths of the summary's columns; the last one (the manifests) is as wide as it is. */
const COLUMN_WIDTHS = [8, 20, 10, 8, 12, 13];

function pad(cells: string[]): string {
  return cells.map((c, i) => c.padEnd(COLUMN_WIDTHS[i] ?? 0)).join(' ');
}

/** The environments named on the command line, or every environment when it names none. */
export function requestedEnvironments(args: string[]): string[] {
  return args.length > 0 ? args : Object.values(EnvironmentName);
}

// Stryker disable next-line all: the command-line entry point, which .ci/run runs (the README's main job); the tests import the module and call what it calls
if (require.main === module) console.log(runMainJob(requestedEnvironments(process.argv.slice(2))).join('\n'));
