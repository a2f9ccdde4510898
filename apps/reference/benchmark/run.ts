/**
 * Benchmark (not a test): the prod environment synthesized with the libraries ("ours") and with
 * plain aws-cdk-lib aws-eks-v2 and the same add-ons ("plain", see plain-eks-v2.ts), in the same
 * run, alternating, each synthesis in a fresh process. Reports the median wall time and peak RSS,
 * and the template figures.
 *
 *   npx projen benchmark            # 5 runs of each (default)
 *   npx projen benchmark -- 9       # 9 runs of each
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { cpus, tmpdir } from 'os';
import { join } from 'path';

interface Sample {
  readonly variant: string;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly resources: number;
  readonly lambdaFunctions: number;
  readonly customResources: number;
  readonly templateBytes: number;
}

const runs = Number(process.argv[2] ?? 5);
const variants = ['ours', 'plain'];
const work = mkdtempSync(join(tmpdir(), 'reference-benchmark-'));
const samples: Sample[] = [];

for (let i = 0; i < runs; i++) {
  for (const variant of variants) {
    const out = execFileSync(process.execPath, [
      require.resolve('ts-node/dist/bin.js'), '-P', join(__dirname, 'tsconfig.json'), join(__dirname, 'synth-one.ts'), variant, join(work, `${variant}-${i}`),
    ], {
      encoding: 'utf8',
      // The template checks are the tests' job (cfn-lint); both variants skip CDK's own validation
      // and type-checking, so the figures compare synthesis alone.
      env: { ...process.env, CDK_VALIDATION: 'false', TS_NODE_TRANSPILE_ONLY: 'true' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    samples.push(JSON.parse(out.trim().split('\n').pop()!));
  }
}
rmSync(work, { recursive: true, force: true });

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const rows = variants.map((variant) => {
  const mine = samples.filter((s) => s.variant === variant);
  return {
    variant,
    seconds: median(mine.map((s) => s.seconds)).toFixed(2),
    peakRssMiB: median(mine.map((s) => s.peakRssMiB)).toFixed(0),
    resources: mine[0].resources,
    lambdaFunctions: mine[0].lambdaFunctions,
    customResources: mine[0].customResources,
    templateKiB: (mine[0].templateBytes / 1024).toFixed(0),
  };
});

console.log(`prod synth, ${runs} runs each, median; ${cpus().length} CPUs, Node ${process.version}, ${new Date().toISOString()}`);
console.log('| variant | synth wall time (s) | peak RSS (MiB) | CFN resources | Lambda functions | custom resources | template (KiB) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  const name = r.variant === 'ours' ? 'this app (@s3www-eks libraries)' : 'plain aws-eks-v2, same add-ons';
  console.log(`| ${name} | ${r.seconds} | ${r.peakRssMiB} | ${r.resources} | ${r.lambdaFunctions} | ${r.customResources} | ${r.templateKiB} |`);
}
