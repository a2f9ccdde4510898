/**
 * Installing from npm, for real: the four libraries are packed with `npm pack`, installed as
 * tarballs into a fresh project outside the workspace (so no workspace link can resolve them),
 * together with their peer dependencies from the npm registry (served from the local npm cache
 * when it holds them), and a small program synthesizes a stack and a chart with each library.
 */
import { execFileSync } from 'child_process';
import { copyFileSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const REPO = join(__dirname, '..', '..', '..');
const LIBRARIES = ['network', 'cluster', 'minio', 's3www'];

/** The versions the workspace itself installed, so the consumer gets the same ones. */
function installedVersion(pkg: string): string {
  return JSON.parse(readFileSync(join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

describe('installing the libraries from npm tarballs', () => {
  let project: string;
  let result: Record<string, any>;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 's3www-eks-consumer-'));
    const tarballs = LIBRARIES.map((lib) => {
      const out = execFileSync('npm', ['pack', '--json', '--pack-destination', project], {
        cwd: join(REPO, 'packages', lib), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
      });
      return join(project, JSON.parse(out)[0].filename);
    });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const peers = ['aws-cdk-lib', 'constructs', 'cdk8s', 'cdk8s-plus-33', '@aws-cdk/lambda-layer-kubectl-v36']
      .map((pkg) => `${pkg}@${installedVersion(pkg)}`);
    execFileSync('npm', ['install', ...tarballs, ...peers, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    copyFileSync(join(__dirname, 'install', 'consumer.js'), join(project, 'consumer.js'));
    result = JSON.parse(execFileSync('node', ['consumer.js'], { cwd: project, encoding: 'utf8' }));
  }, 240_000);

  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
  });

  test.each(LIBRARIES)('@s3www-eks/%s is a real copy inside the project, not a workspace link', (lib) => {
    const dir = join(project, 'node_modules', '@s3www-eks', lib);
    expect(lstatSync(dir).isSymbolicLink()).toBe(false);
    expect(realpathSync(dir).startsWith(realpathSync(project))).toBe(true);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['package.json', 'lib', '.jsii']));
  });

  test('the project is outside the workspace', () => {
    expect(realpathSync(project).startsWith(realpathSync(REPO))).toBe(false);
  });

  test('network and cluster synthesize a stack that applies the chart', () => {
    expect(result.stack.resourceTypes).toEqual(expect.arrayContaining([
      'AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::FlowLog', // network
      'AWS::EKS::Cluster', 'AWS::EKS::Nodegroup', 'Custom::AWSCDK-EKS-KubernetesResource', // cluster
    ]));
  });

  test('minio and s3www synthesize a chart', () => {
    expect(result.chart.kinds).toEqual(expect.arrayContaining([
      'StatefulSet', 'Service', 'NetworkPolicy', 'Job', // minio
      'Deployment', 'ConfigMap', 'PodDisruptionBudget', 'Ingress', // s3www and its seeder
    ]));
  });

  test.each(['minio', 's3www'])('@s3www-eks/%s carries the private package it shares with the other inside its own tarball', (lib) => {
    const bundled = join(project, 'node_modules', '@s3www-eks', lib, 'node_modules', '@s3www-eks', 'cdk8s-common');
    expect(readdirSync(bundled)).toEqual(expect.arrayContaining(['package.json', 'lib']));
    expect(JSON.parse(readFileSync(join(bundled, 'package.json'), 'utf8')).private).toBe(true);
    // nothing installed it on its own: no public package depends on it
    expect(readdirSync(join(project, 'node_modules', '@s3www-eks')).sort()).toEqual(LIBRARIES.slice().sort());
  });
});
