import { MinioTopology, PlacementPolicy } from '@s3www-eks/minio';
import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EnvironmentConfig, validateEnvironmentConfig } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';

/** dev with one setting changed, as a hand edit would. */
function devWith(change: (c: any) => void): EnvironmentConfig {
  const dev = ENVIRONMENTS.dev;
  const cluster = { ...dev.cluster, nodes: { ...dev.cluster.nodes } };
  const copy: any = { ...dev, network: { ...dev.network }, cluster, minio: { ...dev.minio }, s3www: { ...dev.s3www } };
  change(copy);
  return copy;
}

describe('validation: what spans libraries, and the app\'s own wiring', () => {
  test.each(Object.values(ENVIRONMENTS))('the shipped $name environment is valid', (config) => {
    expect(() => validateEnvironmentConfig(config)).not.toThrow();
  });

  test.each([
    [(c: any) => { c.network.maxAzs = 1; }, "environment 'dev': 'network.maxAzs' must be at least 2: EKS needs subnets in two Availability Zones, got 1"],
    [(c: any) => { c.minio.topology = MinioTopology.distributed({ replicas: 4 }); },
      "environment 'dev': 'cluster.nodes.minSize' must be at least the 4 MinIO pods of 'minio.topology': each needs a node of its own (node spread required), got 2"],
    [(c: any) => { c.minio.topology = MinioTopology.distributed({ replicas: 4 }); c.cluster.nodes.minSize = undefined; },
      "environment 'dev': 'cluster.nodes.minSize' must be at least the 4 MinIO pods of 'minio.topology': each needs a node of its own (node spread required), got undefined"],
    [(c: any) => { c.clusterName = '-bad'; }, "environment 'dev': 'clusterName' must start with a letter or digit"],
    [(c: any) => { c.clusterName = 's3www-development-cluster-01'; },
      "environment 'dev': 'clusterName' must hold at most 27 characters, so that the load balancer name <clusterName>-site fits in 32, got \"s3www-development-cluster-01\""],
    [(c: any) => { c.operations = { backupCopyRetention: Duration.days(7) }; },
      "environment 'dev': 'operations.backupCopyRetention' needs operations.backupRetention: only backed-up recovery points are copied, got \"7 days\""],
    [(c: any) => { c.operations = { backupRetention: Duration.days(7), backupCopyRetention: Duration.hours(36) }; },
      "environment 'dev': 'operations.backupCopyRetention' must be a whole number of days between 1 and 36500, got \"1 day 12 hours\""],
    [(c: any) => { c.apiEndpoint = 'public'; }, "environment 'dev': 'apiEndpoint' must be one of ApiEndpoint.PRIVATE, ApiEndpoint.PUBLIC_AND_PRIVATE, got \"public\""],
    [(c: any) => { c.auditTrail = { retention: Duration.hours(12), logRetention: RetentionDays.ONE_MONTH }; },
      "environment 'dev': 'auditTrail.retention' must be a whole number of days between 1 and 36500 (the bucket's expiration rule), got \"12 hours\""],
    [(c: any) => { c.auditTrail = { retention: Duration.days(90), logRetention: 45 }; },
      "environment 'dev': 'auditTrail.logRetention' must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days, or RetentionDays.INFINITE), got 45"],
  ])('rejects a bad setting (%#)', (change, message) => {
    // GIVEN
    const config = devWith(change);
    // WHEN / THEN
    expect(() => validateEnvironmentConfig(config)).toThrow(message);
  });

  test.each([
    [(c: any) => { c.clusterName = 'dev.cluster'; }, "environment 'dev': 'clusterName' must start with a letter or digit and hold at most 100 letters, digits, - or _, got \"dev.cluster\""],
    [(c: any) => { c.operations = { backupRetention: Duration.days(7), backupCopyRetention: Duration.days(36501) }; },
      "environment 'dev': 'operations.backupCopyRetention' must be a whole number of days between 1 and 36500, got \"36501 days\""],
    [(c: any) => { c.operations = { backupRetention: Duration.days(7), backupCopyRetention: Duration.days(0) }; },
      "environment 'dev': 'operations.backupCopyRetention' must be a whole number of days between 1 and 36500, got \"0 days\""],
    [(c: any) => { c.auditTrail = { retention: Duration.days(36501), logRetention: RetentionDays.ONE_MONTH }; },
      "environment 'dev': 'auditTrail.retention' must be a whole number of days between 1 and 36500 (the bucket's expiration rule), got \"36501 days\""],
    [(c: any) => { c.auditTrail = { retention: Duration.days(0), logRetention: RetentionDays.ONE_MONTH }; },
      "environment 'dev': 'auditTrail.retention' must be a whole number of days between 1 and 36500 (the bucket's expiration rule), got \"0 days\""],
  ])('rejects a value just outside what is allowed (%#)', (change, message) => {
    expect(() => validateEnvironmentConfig(devWith(change))).toThrow(message);
  });

  test.each([
    ['a 27-character cluster name', (c: any) => { c.clusterName = 's3www-development-cluster-1'; }],
    ['a one-character cluster name', (c: any) => { c.clusterName = 'a'; }],
    ['a copy kept 1 day', (c: any) => { c.operations = { backupRetention: Duration.days(7), backupCopyRetention: Duration.days(1) }; }],
    ['a copy kept 36500 days', (c: any) => { c.operations = { backupRetention: Duration.days(7), backupCopyRetention: Duration.days(36500) }; }],
    ['an audit trail kept 1 day, its events for ever', (c: any) => { c.auditTrail = { retention: Duration.days(1), logRetention: RetentionDays.INFINITE }; }],
    ['an audit trail kept 36500 days', (c: any) => { c.auditTrail = { retention: Duration.days(36500), logRetention: RetentionDays.ONE_MONTH }; }],
  ])('accepts the limits of what is allowed: %s', (_, change) => {
    expect(() => validateEnvironmentConfig(devWith(change))).not.toThrow();
  });

  test('a distributed MinIO whose pods may share nodes needs no node of its own per pod', () => {
    const config = devWith((c) => { c.minio.topology = MinioTopology.distributed({ replicas: 4, nodeSpread: PlacementPolicy.PREFERRED }); });
    expect(() => validateEnvironmentConfig(config)).not.toThrow();
  });
});
