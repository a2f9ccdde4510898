/**
 * One environment of the reference app, synthesized now and run on loopback by the data-path
 * harness (tools/testing/data-path), with the seed source played by a local HTTPS server that
 * serves the GIF fixture at the giphy URL's path.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CdnSource, LocalStack, LoopbackNetwork, StackOptions } from '../../../../tools/testing/data-path';
import { EnvironmentName } from '../../src/environment-config';
import { DEFAULT_SEED_URL, ENVIRONMENTS } from '../../src/environments';
import { synthesizeEnvironment, SynthesizedEnvironment } from '../../src/synthesis';

/** The GIF the source serves in place of the original (a real animated GIF89a, 160 × 120, 6 frames). */
export const GIF = readFileSync(join(__dirname, '..', '..', '..', '..', 'tools', 'testing', 'data-path', 'fixtures', 'giphy.gif'));

export interface RunningEnvironment {
  readonly out: SynthesizedEnvironment;
  readonly stack: LocalStack;
  readonly source: CdnSource;
  /** Stops everything and removes every file. */
  close(): Promise<void>;
}

/** Synthesizes an environment and lays out its stack; starts no process but the source. */
export async function localEnvironment(environment: EnvironmentName, options: Partial<StackOptions> = {}): Promise<RunningEnvironment> {
  const dir = mkdtempSync(join(tmpdir(), `data-path-${environment}-`));
  const out = synthesizeEnvironment(environment, { cdkOut: join(dir, 'cdk.out'), manifests: join(dir, 'manifests') });
  const network = LoopbackNetwork.random();
  const source = await CdnSource.start(network.allocate(), join(dir, 'source'));
  const seedUrl = new URL(DEFAULT_SEED_URL);
  source.put(seedUrl.pathname, { body: GIF, contentType: 'image/gif' });
  let stack: LocalStack;
  try {
    stack = await LocalStack.create({
      objects: out.objects,
      network,
      root: join(dir, 'stack'),
      zones: ENVIRONMENTS[environment].network.maxAzs,
      externalOrigins: { [seedUrl.origin]: source.origin },
      seederEnv: { NODE_EXTRA_CA_CERTS: source.caFile },
      ...options,
    });
  } catch (err) {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    out,
    stack,
    source,
    async close() {
      await stack.stop();
      await source.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
