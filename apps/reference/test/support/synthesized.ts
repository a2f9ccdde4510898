/** One environment synthesized once for the tests of a describe block. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { synthesizeEnvironment, SynthesizedEnvironment } from '../../src/synthesis';

/**
 * Synthesizes the environment in a beforeAll of the calling describe block, into a scratch folder
 * removed in its afterAll, and returns a getter for the output (valid inside the tests).
 */
export function synthesizedOnce(environment: string): () => SynthesizedEnvironment {
  let out: SynthesizedEnvironment | undefined;
  const base = mkdtempSync(join(tmpdir(), `synth-${environment}-`));
  beforeAll(() => {
    out = synthesizeEnvironment(environment, { cdkOut: join(base, 'cdk.out'), manifests: join(base, 'manifests') });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  return () => {
    if (!out) throw new Error(`${environment} is synthesized in a beforeAll: read it inside a test`);
    return out;
  };
}
