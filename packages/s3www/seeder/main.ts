/**
 * Entry point of `node index.js`: seeds every source into the bucket, one at a time, and exits 0
 * only when all of them are present and verified. Any failure ends the run with one line on
 * stderr that names the source and the cause, and an exit code from {@link ExitCode}.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { checkBucket, createClient } from './backend';
import { parseConfig, SeederConfig, SeedSource } from './config';
import { ExitCode, oneLine, SeedError } from './errors';
import { log } from './log';
import { withRetry } from './retry';
import { seedSource } from './upload';

async function run(): Promise<void> {
  const config = parseConfig(process.env);
  log('info', 'seeder starting', {
    endpoint: config.endpoint ?? 'AWS S3',
    bucket: config.bucket,
    region: config.region,
    credentials: config.credentials ? 'key files' : 'AWS credential chain',
    sources: config.sources.length,
    partSizeMiB: config.partSizeBytes / (1024 * 1024),
    queueSize: config.queueSize,
  });
  const client = createClient(config);
  try {
    await checkBucket(client, config);
    for (const source of config.sources) {
      await seedOne(client, config, source);
    }
  } finally {
    client.destroy();
  }
  log('info', 'seeding complete', { bucket: config.bucket, objects: config.sources.length });
}

async function seedOne(client: S3Client, config: SeederConfig, source: SeedSource): Promise<void> {
  const fields = { source: source.label, key: source.key };
  const started = Date.now();
  let outcome;
  try {
    outcome = await withRetry({ attempts: config.maxAttempts, delayMs: config.retryDelayMs, maxDelayMs: 30_000 }, fields,
      () => seedSource(client, config, source));
  } catch (err) {
    if (err instanceof SeedError) throw new SeedError(`${source.label} -> ${config.bucket}/${source.key}: ${err.message}`, err.exitCode);
    throw err;
  }
  if (outcome.action === 'skipped') {
    log('info', 'skipped', { ...fields, reason: outcome.reason });
  } else {
    const seconds = (Date.now() - started) / 1000;
    log('info', 'uploaded', {
      ...fields,
      bytes: outcome.bytes,
      sha256: outcome.sha256,
      contentType: outcome.contentType,
      seconds,
      mibPerSecond: Math.round(outcome.bytes / 1048576 / Math.max(seconds, 0.001) * 10) / 10,
    });
  }
}

function fail(err: unknown): never {
  const known = err instanceof SeedError;
  const code = known ? err.exitCode : ExitCode.INTERNAL;
  log('error', 'seeding failed', { exitCode: code, cause: oneLine(err) });
  process.stderr.write(`seeder: ${known ? '' : 'unexpected error: '}${oneLine(err)}\n`);
  process.exit(code);
}

// Node and the SDK print warnings on stderr, which is reserved for the one failure line.
process.removeAllListeners('warning');
process.on('warning', (warning) => log('warn', 'runtime warning', { cause: oneLine(warning) }));
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

run().then(() => process.exit(ExitCode.OK), fail);
