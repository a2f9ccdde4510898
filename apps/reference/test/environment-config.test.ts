import { Duration } from 'aws-cdk-lib';
import { EnvironmentConfig, MinioMode, validateEnvironmentConfig } from '../src/environment-config';
import { ENVIRONMENTS } from '../src/environments';

/** dev with one setting changed, as a hand edit would. */
function devWith(change: (c: any) => void): EnvironmentConfig {
  const dev = ENVIRONMENTS.dev;
  const copy: any = { ...dev, network: { ...dev.network }, nodes: { ...dev.nodes }, minio: { ...dev.minio }, s3www: { ...dev.s3www } };
  change(copy);
  return copy;
}

describe('validation', () => {
  test.each(Object.values(ENVIRONMENTS))('the shipped $name environment is valid', (config) => {
    expect(() => validateEnvironmentConfig(config)).not.toThrow();
  });

  test.each([
    [(c: any) => { c.network.maxAzs = 1; }, "environment 'dev': 'network.maxAzs' must be an integer between 2 and 6, got 1"],
    [(c: any) => { c.network.natGateways = 3; }, "environment 'dev': 'network.natGateways' must be an integer between 1 and 2, got 3"],
    [(c: any) => { c.network.natGateways = 0; }, "environment 'dev': 'network.natGateways' must be an integer between 1 and 2, got 0"],
    [(c: any) => { c.network.cidr = '10.0.0.0'; }, "environment 'dev': 'network.cidr' must be an IPv4 CIDR with a prefix between /16 and /24, e.g. 10.0.0.0/16, got \"10.0.0.0\""],
    [(c: any) => { c.network.cidr = '300.0.0.0/16'; }, "'network.cidr' must be an IPv4 CIDR"],
    [(c: any) => { c.nodes.instanceTypes = []; }, "environment 'dev': 'nodes.instanceTypes' must name at least one instance type, got []"],
    [(c: any) => { c.nodes.maxSize = 1; }, "environment 'dev': 'nodes.maxSize' must be an integer between 2 and 100, got 1"],
    [(c: any) => { c.nodes.desiredSize = 4; }, "environment 'dev': 'nodes.desiredSize' must be an integer between 2 and 3, got 4"],
    [(c: any) => { c.nodes.diskSizeGiB = 8; }, "environment 'dev': 'nodes.diskSizeGiB' must be an integer between 20 and 16384, got 8"],
    [(c: any) => { c.minio.replicas = 2; }, "environment 'dev': 'minio.replicas' must be an integer between 1 and 1, got 2"],
    [(c: any) => { c.minio.mode = MinioMode.DISTRIBUTED; c.minio.replicas = 3; },
      "environment 'dev': 'minio.replicas * minio.drivesPerReplica' must be at least 4 in distributed mode, got 3"],
    [(c: any) => { c.minio.mode = MinioMode.DISTRIBUTED; c.minio.replicas = 4; },
      "environment 'dev': 'nodes.minSize' must be at least minio.replicas (4): each distributed MinIO pod needs a node of its own, got 2"],
    [(c: any) => { c.s3www.autoscaling = { minReplicas: 3, maxReplicas: 2, targetCpuPercent: 70 }; },
      "environment 'dev': 's3www.autoscaling.maxReplicas' must be an integer between 3 and 100, got 2"],
    [(c: any) => { c.s3www.maxUnavailable = 0; },
      "environment 'dev': 's3www.maxUnavailable' must be an integer between 1 and 1, got 0"],
    [(c: any) => { c.s3www.replicas = 3; c.s3www.maxUnavailable = 3; },
      "environment 'dev': 's3www.maxUnavailable' must be an integer between 1 and 2, got 3"],
    [(c: any) => { c.seed = []; }, "environment 'dev': 'seed' must list at least one file, got []"],
    [(c: any) => { c.seed = [{ url: 'ftp://example.com/a.gif' }]; }, "environment 'dev': 'seed[0].url' must be an http(s) URL, got \"ftp://example.com/a.gif\""],
    [(c: any) => { c.seed = [{ url: 'not a url' }]; }, "environment 'dev': 'seed[0].url' must be an http(s) URL, got \"not a url\""],
    [(c: any) => { c.namespace = 'S3WWW'; }, "environment 'dev': 'namespace' must be a DNS label (lower-case letters, digits and -, at most 63), got \"S3WWW\""],
    [(c: any) => { c.bucket = 'Site_Bucket'; }, "environment 'dev': 'bucket' must be a valid S3 bucket name (3-63 lower-case letters, digits, . or -), got \"Site_Bucket\""],
    [(c: any) => { c.clusterName = '-bad'; }, "environment 'dev': 'clusterName' must start with a letter or digit"],
    [(c: any) => { c.clusterName = 's3www-development-cluster-01'; },
      "environment 'dev': 'clusterName' must hold at most 27 characters, so that the load balancer name <clusterName>-site fits in 32, got \"s3www-development-cluster-01\""],
    [(c: any) => { c.monthlyBudgetUsd = 0; }, "environment 'dev': 'monthlyBudgetUsd' must be a positive amount in USD, got 0"],
    [(c: any) => { c.monthlyBudgetUsd = -10; }, "environment 'dev': 'monthlyBudgetUsd' must be a positive amount in USD, got -10"],
    [(c: any) => { c.operations = { backupCopyRetention: Duration.days(7) }; },
      "environment 'dev': 'operations.backupCopyRetention' needs operations.backupRetention: only backed-up recovery points are copied, got \"7 days\""],
    [(c: any) => { c.operations = { backupRetention: Duration.days(7), backupCopyRetention: Duration.hours(36) }; },
      "environment 'dev': 'operations.backupCopyRetention' must be a whole number of days between 1 and 36500, got \"1 day 12 hours\""],
  ])('rejects a bad setting (%#)', (change, message) => {
    // GIVEN
    const config = devWith(change);
    // WHEN / THEN
    expect(() => validateEnvironmentConfig(config)).toThrow(message);
  });
});
