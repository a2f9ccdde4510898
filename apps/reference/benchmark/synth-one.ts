/**
 * One measured synthesis, in a process of its own so peak memory belongs to it alone:
 * `synth-one.ts <ours|plain> <outdir>` prints one JSON line with the figures. Time runs from the
 * start of the process (loading aws-cdk-lib included) to the end of the synthesis.
 */
import { performance } from 'perf_hooks';
import { App } from 'aws-cdk-lib';
import { PlainEksV2Stack } from './plain-eks-v2';
import { EXAMPLE_CERTIFICATE_ARN, OFFLINE_TARGET } from '../src/deployment-target';
import { ENVIRONMENTS } from '../src/environments';
import { ReferenceStack } from '../src/reference-stack';
import { committedContext, templateFigures } from '../src/synthesis';

const [variant, outdir] = process.argv.slice(2);
// prod serves HTTPS only: the example certificate, as the main job gives it.
const app = new App({ outdir, context: { ...committedContext(), env: 'prod', certificateArn: EXAMPLE_CERTIFICATE_ARN } });
// prod without the operations options (monitoring, container logs, backups), which the plain stack does not rebuild.
const config = { ...ENVIRONMENTS.prod, operations: undefined };
if (variant === 'ours') {
  new ReferenceStack(app, 's3www-eks-prod', { config, env: OFFLINE_TARGET, manifestsOutdir: `${outdir}-manifests` });
} else if (variant === 'plain') {
  new PlainEksV2Stack(app, 'plain-eks-v2-prod', { config, env: OFFLINE_TARGET, certificateArn: EXAMPLE_CERTIFICATE_ARN });
} else {
  throw new Error(`variant must be 'ours' or 'plain', got ${JSON.stringify(variant)}`);
}
app.synth();
const seconds = performance.now() / 1000;
console.log(JSON.stringify({ variant, seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, ...templateFigures(outdir) }));
