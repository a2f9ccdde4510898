import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { closingLines, displayPath, foldersOf, manifestsReadme, requestedEnvironments, runMainJob, secretFindings } from '../src/main-job';
import * as secretScan from '../src/secret-scan';
import { readOutput, environmentApp, templateFigures } from '../src/synthesis';

describe('the main job', () => {
  const base = mkdtempSync(join(tmpdir(), 'main-job-'));
  let summary: string[];

  beforeAll(() => {
    summary = runMainJob(['dev'], base);
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  test('writes the cloud assembly and the plain manifests of the environment', () => {
    expect(existsSync(join(base, 'cdk.out', 'dev', 's3www-eks-dev.template.json'))).toBe(true);
    const manifests = readdirSync(join(base, 'dist', 'manifests', 'dev'));
    expect(manifests).toEqual(expect.arrayContaining(['Namespace.s3www.k8s.yaml', 'NetworkPolicy.default-deny.k8s.yaml', 'Deployment.s3www.k8s.yaml']));
  });

  test('explains beside the manifests how to apply them, with the exact command for the Secret of each MinIO identity', () => {
    const readme = readFileSync(join(base, 'dist', 'manifests', 'README.md'), 'utf8');
    for (const [secret, user] of [['minio-root-credentials', 's3www-admin'], ['minio-s3www-credentials', 's3www-web'], ['minio-seeder-credentials', 's3www-seeder']]) {
      expect(readme).toContain(`kubectl -n s3www create secret generic ${secret} \\\n  --from-literal=username=${user} --from-literal=password="$(openssl rand -hex 20)"\n`);
    }
    expect(readme).toContain('`dev/`');
    // dev serves plain HTTP: no certificate to replace
    expect(readme).not.toContain('certificate');
  });

  test('tells the plain-manifest users of staging and prod to put their certificate where the example one is', () => {
    const readme = manifestsReadme(['dev', 'staging', 'prod']);
    expect(readme).toContain('`staging/` and `prod/` serve HTTPS only: their Ingress carries the EXAMPLE certificate '
      + 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000');
  });

  test.each([[['dev', 'staging', 'prod']], [['dev']]])('the README beside the manifests of %j is reviewed whenever its text changes', (environments) => {
    // the whole text: a change to it shows in the snapshot's diff
    expect(manifestsReadme(environments)).toMatchSnapshot();
  });

  test('the README sections the job and the manifests\' README point to exist', () => {
    const sections = readFileSync(join(__dirname, '..', 'README.md'), 'utf8').split('\n').filter((l) => l.startsWith('#')).map((l) => l.replace(/^#+\s*/, ''));
    for (const text of [manifestsReadme(['dev']), summary.join('\n')]) {
      const named = [...text.matchAll(/apps\/reference\/README\.md, "([^"]+)"/g)].map((m) => m[1]);
      expect(named).toEqual(['Plain manifests']);
      expect(sections).toContain(named[0]);
    }
  });

  test('prints the stack, its resource counts, the manifests written and the deploy command', () => {
    expect(summary.slice(0, 3)).toEqual([
      's3www-eks reference app: 1 environment(s) synthesized offline (account 123456789012, region us-east-1)',
      '',
      'env      stack                resources  lambdas  custom res.  template KiB  manifests',
    ]);
    const row = /^dev {6}s3www-eks-dev {8}(\d+) +(\d+) +(\d+) +(\d+) +(\d+) objects in (\d+) files -> (.+)$/.exec(summary[3]);
    expect(row).not.toBeNull();
    const figures = templateFigures(join(base, 'cdk.out', 'dev'));
    const manifests = join(base, 'dist', 'manifests', 'dev');
    expect(row!.slice(1).map((cell, i) => (i < 6 ? Number(cell) : cell))).toEqual([
      figures.resources, figures.lambdaFunctions, figures.customResources, Math.round(figures.templateBytes / 1024),
      expect.any(Number), readdirSync(manifests).filter((f) => f.endsWith('.yaml')).length, relative(process.cwd(), manifests),
    ]);
    expect(summary.slice(4)).toEqual(closingLines(['dev'], relative(process.cwd(), join(base, 'cdk.out'))));
  });

  test('refuses to finish when its output holds secret material, naming where and what', () => {
    // GIVEN a scan of the Kubernetes objects that finds a Secret with a value
    const scan = jest.spyOn(secretScan, 'scanKubernetesObjects').mockReturnValueOnce([
      { where: 'Secret s3www/x', what: 'a Secret with data or stringData' },
      { where: 'Deployment s3www/y', what: 'literal value for environment variable TOKEN' },
    ]);
    const other = mkdtempSync(join(tmpdir(), 'main-job-leak-'));
    try {
      // WHEN / THEN
      expect(() => runMainJob(['dev'], other)).toThrow('secret material in the output of dev:\n  Secret s3www/x: a Secret with data or stringData\n  Deployment s3www/y: literal value for environment variable TOKEN');
      expect(scan).toHaveBeenCalledTimes(1);
    } finally {
      scan.mockRestore();
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('finds secret material planted in its output', () => {
    // GIVEN the output of a clean run
    const folders = foldersOf('dev', base);
    const built = environmentApp('dev', folders);
    built.app.synth();
    // beside the manifests, a file that is not YAML and a YAML file of no object: neither is read as an object
    mkdirSync(folders.manifests, { recursive: true });
    writeFileSync(join(folders.manifests, 'notes.txt'), 'kind: [not a manifest');
    writeFileSync(join(folders.manifests, 'Empty.k8s.yaml'), '---\n# nothing here\n');
    const out = readOutput(built, folders);
    expect(out.environment).toBe('dev');
    expect(out.manifestFiles).toContain(join(folders.manifests, 'Empty.k8s.yaml'));
    expect(out.manifestFiles.every((f) => f.endsWith('.yaml'))).toBe(true);
    expect(out.manifestFiles).toEqual([...out.manifestFiles].sort());
    expect(out.objects.every((o) => typeof o === 'object' && o !== null && typeof o.kind === 'string')).toBe(true);
    expect(secretFindings(out)).toEqual([]);
    // WHEN a manifest and a Secret with a value appear beside it
    writeFileSync(join(folders.manifests, 'leak.yaml'), `aws_access_key_id: ${['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('')}\n`);
    const leaked = { ...out, objects: [...out.objects, { kind: 'Secret', metadata: { name: 'x', namespace: 's3www' }, data: { a: 'Yg==' } }] };
    // THEN both are reported
    expect(secretFindings(leaked)).toEqual([
      { where: join(folders.manifests, 'leak.yaml'), what: 'AWS access key id' },
      { where: 'Secret s3www/x', what: 'a Secret with data or stringData' },
    ]);
  });
});

describe('closingLines', () => {
  test('say where the assemblies are, how to deploy, and where the plain manifests are explained', () => {
    expect(closingLines(['dev'], 'cdk.out')).toEqual([
      '',
      'Cloud assemblies: cdk.out/<env>; no secret material found in them or in the manifests.',
      'Deploy (AWS credentials needed):  cd apps/reference && npx cdk bootstrap && npx cdk deploy -c env=<env>',
      'Plain manifests on any cluster:   see apps/reference/README.md, "Plain manifests"',
    ]);
  });

  test('name the environments that serve HTTPS only and the example certificate they were synthesized with', () => {
    expect(closingLines(['dev', 'staging', 'prod'], 'cdk.out')[2]).toBe('HTTPS only (staging, prod): synthesized with the EXAMPLE certificate '
      + 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000; a deploy passes -c certificateArn=..., '
      + 'or -c domainName=... -c hostedZoneId=...');
  });
});

describe('displayPath', () => {
  test('is relative to the working folder, and . for the folder itself', () => {
    expect(displayPath(join(process.cwd(), 'cdk.out', 'dev'))).toBe(join('cdk.out', 'dev'));
    expect(displayPath(process.cwd())).toBe('.');
  });
});

describe('requestedEnvironments', () => {
  test('are the ones the command line names, or all three', () => {
    expect(requestedEnvironments(['prod'])).toEqual(['prod']);
    expect(requestedEnvironments([])).toEqual(['dev', 'staging', 'prod']);
  });
});
