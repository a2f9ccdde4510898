/**
 * PromQL about one MinIO instance, shared by its alerts and its dashboard so that both read the
 * same series the same way.
 *
 * Every MinIO pod answers `/minio/v2/metrics/cluster` (and `/bucket`) for the whole cluster: it
 * reports its peers' series too, each with a `server` label. Prometheus scrapes every pod, so each
 * series arrives once per scraped pod. Cluster gauges are therefore read with `max`, and per-node
 * counters with `max by (server, ...)` before they are summed: never a plain `sum`, which would
 * count each node as many times as there are pods.
 */

/** Where Prometheus finds the instance's series. */
export interface QueryTarget {
  /** The `job` label of MinIO's scrape targets. */
  readonly job: string;
  readonly namespace: string;
  /** StatefulSet name: pods are `<name>-0`..., claims `<template>-<name>-<ordinal>`. */
  readonly statefulSet: string;
  /** Claim template names of the drives (`export`, or `export-0`...). */
  readonly claimTemplates: string[];
}

/** The PromQL building blocks of one instance. */
export class MinioQueries {
  /**
   * Label matchers of the series scraped from this instance's pods, `up` included. The pod name
   * keeps apart two instances that share a namespace and an annotation-based scrape job.
   */
  public readonly minio: string;
  /** Label matchers of the kubelet volume series of the MinIO drives. */
  public readonly claims: string;

  constructor(target: QueryTarget) {
    this.minio = `{job="${target.job}",namespace="${target.namespace}",pod=~"${target.statefulSet}-[0-9]+"}`;
    const templates = target.claimTemplates.length === 1 ? target.claimTemplates[0] : `(${target.claimTemplates.join('|')})`;
    this.claims = `{namespace="${target.namespace}",persistentvolumeclaim=~"${templates}-${target.statefulSet}-[0-9]+"}`;
  }

  /** A cluster-wide gauge, deduplicated across the pods that report it. */
  public cluster(metric: string): string {
    return `max(${metric}${this.minio})`;
  }

  /** Percentage of the usable (erasure-coded) capacity in use. */
  public capacityUsedPercent(): string {
    return `100 * (1 - ${this.cluster('minio_cluster_capacity_usable_free_bytes')} / ${this.cluster('minio_cluster_capacity_usable_total_bytes')})`;
  }

  /** Percentage of each drive's PersistentVolumeClaim in use, as the kubelet sees it. */
  public claimUsedPercent(): string {
    return 'max by (namespace, persistentvolumeclaim) (100 * (1 - '
      + `kubelet_volume_stats_available_bytes${this.claims} / kubelet_volume_stats_capacity_bytes${this.claims}))`;
  }

  /**
   * Per-second rate of a per-node S3 counter (labels `server` and `api`, plus `extra` such as `le`),
   * deduplicated per series, then summed over nodes and grouped by `by`. For Grafana: it uses
   * `$__rate_interval`.
   */
  public s3Rate(metric: string, by: string[] = [], extra: string[] = []): string {
    const sum = by.length > 0 ? `sum by (${by.join(', ')}) ` : 'sum';
    const series = ['server', 'api', ...extra].join(', ');
    return `${sum}(max by (${series}) (rate(${metric}${this.minio}[$__rate_interval])))`;
  }
}
