/**
 * The seeder's defaults are the ones its README promises. The Job sets none of the tuning
 * variables, so production runs on exactly these defaults: each one is read from the README's
 * "Environment" table and compared with what the seeder parses from an environment holding only
 * the required variables.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { podSpec, synthSeeder } from './support/synth';
import { parseConfig, SeederConfig } from '../seeder/config';

const MIB = 1024 * 1024;
const REQUIRED = { S3_BUCKET: 'site', SEED_SOURCES: JSON.stringify([{ url: 'https://example.com/a.gif' }]) };

/** The README's Environment table: variable name(s) to the Default column. */
function documentedDefaults(): Map<string, string> {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('### Environment'), readme.indexOf('### What it does'));
  const defaults = new Map<string, string>();
  for (const line of table.split('\n').filter((l) => l.startsWith('| `'))) {
    const [variables, , fallback] = line.split('|').slice(1, -1).map((cell) => cell.trim());
    defaults.set(variables, fallback);
  }
  return defaults;
}

/** Each tuning variable, how its default reads in the README, and the parsed value it means. */
const TUNING: Array<[string, (c: SeederConfig) => string]> = [
  ['`AWS_REGION`', (c) => `\`${c.region}\``],
  ['`SEED_MAX_ATTEMPTS`', (c) => `\`${c.maxAttempts}\``],
  ['`SEED_RETRY_DELAY_MS`', (c) => `\`${c.retryDelayMs}\``],
  ['`SEED_IDLE_TIMEOUT_SECONDS`', (c) => `\`${c.idleTimeoutMs / 1000}\``],
  ['`SEED_BACKEND_TIMEOUT_SECONDS`', (c) => `\`${c.backendTimeoutMs / 1000}\``],
  ['`SEED_PART_SIZE_MIB`, `SEED_QUEUE_SIZE`', (c) => `\`${c.partSizeBytes / MIB}\`, \`${c.queueSize}\``],
];

describe('seeder defaults', () => {
  const documented = documentedDefaults();
  const parsed = parseConfig(REQUIRED);

  test('the README documents every tuning variable', () => {
    expect(TUNING.map(([variables]) => documented.has(variables))).toEqual(TUNING.map(() => true));
  });

  test.each(TUNING)('%s defaults to what the README says', (variables, actual) => {
    expect(actual(parsed)).toBe(documented.get(variables));
  });

  test('without an endpoint or key files: AWS S3 and the AWS credential chain', () => {
    expect(parsed.endpoint).toBeUndefined();
    expect(parsed.credentials).toBeUndefined();
    expect(documented.get('`S3_ENDPOINT`')).toBe('AWS S3');
  });

  test('the Job sets none of the tuning variables, so these defaults are what runs in a cluster', () => {
    const job = synthSeeder({ sources: [{ url: 'https://example.com/a.gif' }] }).one('Job');
    const names = podSpec(job).containers[0].env.map((e: { name: string }) => e.name);
    expect(names.filter((n: string) => n.startsWith('SEED_') && n !== 'SEED_SOURCES')).toEqual([]);
  });
});
