import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ApiEndpoint, EnvironmentName } from '../src/environment-config';
import { DEFAULT_ENVIRONMENT, DEFAULT_SEED_URL, environmentNamed, ENVIRONMENTS } from '../src/environments';

describe('environmentNamed', () => {
  test.each(Object.values(EnvironmentName))('finds %s', (name) => {
    expect(environmentNamed(name).name).toBe(name);
  });

  test('defaults to dev', () => {
    expect(DEFAULT_ENVIRONMENT).toBe(EnvironmentName.DEV);
    expect(environmentNamed(undefined).name).toBe('dev');
  });

  test.each([['qa'], ['Prod'], [''], [42]])('rejects %p naming the known environments', (name) => {
    expect(() => environmentNamed(name)).toThrow(
      `Unknown environment ${JSON.stringify(name)} (from -c env=...): expected one of dev, staging, prod`);
  });
});

describe('the environments', () => {
  test('dev is cost-optimised', () => {
    const dev = ENVIRONMENTS.dev;
    expect(dev.network).toMatchObject({ maxAzs: 2, natGateways: 1 });
    expect(dev.minio.topology).toMatchObject({ isDistributed: false, replicas: 1 });
    expect(dev.s3www.replicas).toBe(1);
    expect(dev.s3www.autoscaling).toBeUndefined();
    // a single pod gets no disruption budget: dev trades availability for cost
    expect(dev.s3www.maxUnavailable).toBeUndefined();
    expect(dev.operations).toBeUndefined();
  });

  test.each([EnvironmentName.STAGING, EnvironmentName.PROD])('%s is highly available', (name) => {
    const config = ENVIRONMENTS[name];
    expect(config.network.maxAzs).toBe(3);
    expect(config.network.natGateways).toBe(config.network.maxAzs);
    expect(config.cluster.nodes.minSize).toBeGreaterThanOrEqual(config.network.maxAzs);
    expect(config.minio.topology.isDistributed).toBe(true);
    expect(config.minio.topology.replicas).toBeGreaterThanOrEqual(4);
    expect(config.s3www.autoscaling).toBeDefined();
    expect(config.s3www.replicas).toBeUndefined();
    expect(config.s3www.maxUnavailable).toBeLessThan(config.s3www.autoscaling!.minReplicas);
    expect(Object.keys(config.operations ?? {})).toEqual(expect.arrayContaining(['backupRetention', 'containerLogRetention', 'prometheusRetention']));
  });

  test('only prod copies its backups to the disaster recovery region, and keeps Prometheus samples for the 30-day error budget', () => {
    expect(ENVIRONMENTS.prod.operations!.backupCopyRetention!.toDays()).toBe(14);
    expect(ENVIRONMENTS.prod.operations!.prometheusRetention!.toDays()).toBe(30);
    expect(ENVIRONMENTS.staging.operations!.backupCopyRetention).toBeUndefined();
    expect(ENVIRONMENTS.dev.operations).toBeUndefined();
  });

  test('staging and prod keep the Kubernetes API private and keep an audit trail; dev does neither', () => {
    expect(Object.values(ENVIRONMENTS).map((c) => [c.name, c.apiEndpoint, c.auditTrail?.retention.toDays(), c.auditTrail?.logRetention])).toEqual([
      ['dev', ApiEndpoint.PUBLIC_AND_PRIVATE, undefined, undefined],
      ['staging', ApiEndpoint.PRIVATE, 90, RetentionDays.ONE_MONTH],
      ['prod', ApiEndpoint.PRIVATE, 365, RetentionDays.THREE_MONTHS],
    ]);
  });

  test('every environment has a monthly budget, growing with its size', () => {
    expect(Object.values(ENVIRONMENTS).map((c) => [c.name, c.cluster.budget.monthlyLimitUsd])).toEqual([['dev', 250], ['staging', 800], ['prod', 2000]]);
  });

  test('staging is smaller than prod', () => {
    const { staging, prod } = ENVIRONMENTS;
    expect(staging.cluster.nodes.maxSize!).toBeLessThan(prod.cluster.nodes.maxSize!);
    expect(staging.s3www.autoscaling!.maxReplicas).toBeLessThan(prod.s3www.autoscaling!.maxReplicas);
    expect(staging.minio.topology.totalDrives).toBeLessThan(prod.minio.topology.totalDrives);
  });

  test('every environment seeds the original gif and uses its own VPC range and cluster name', () => {
    const all = Object.values(ENVIRONMENTS);
    expect(all.every((c) => c.seeder.sources.some((s) => s.url === DEFAULT_SEED_URL))).toBe(true);
    expect(DEFAULT_SEED_URL).toBe('https://media.giphy.com/media/VdiQKDAguhDSi37gn1/giphy.gif');
    expect(new Set(all.map((c) => c.network.cidr)).size).toBe(3);
    expect(new Set(all.map((c) => c.clusterName)).size).toBe(3);
    // one namespace everywhere: the plain manifests' README names it once
    expect(new Set(all.map((c) => c.namespace))).toEqual(new Set(['s3www']));
  });
});
