import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { PodIdentity } from './pod-identity';

/** Props of {@link IdentifiedHelmRelease}. */
export interface IdentifiedHelmReleaseProps {
  readonly cluster: eks.ICluster;
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
  /** Release name and name of the service account the chart creates. */
  readonly release: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
  readonly timeout: Duration;
}

/**
 * A pinned Helm release whose service account gets an IAM role through Pod Identity. The association
 * exists before the release, so its pods find their credentials on first start; the release waits
 * until its pods are ready, so later content can rely on it (CRDs, webhooks).
 */
export class IdentifiedHelmRelease extends Construct {
  public readonly identity: PodIdentity;
  public readonly chart: eks.HelmChart;

  constructor(scope: Construct, id: string, props: IdentifiedHelmReleaseProps) {
    super(scope, id);
    this.identity = new PodIdentity(this, 'Identity', { cluster: props.cluster, namespace: props.namespace, serviceAccount: props.release });
    this.chart = new eks.HelmChart(this, 'Chart', {
      cluster: props.cluster,
      repository: props.repository,
      chart: props.chart,
      version: props.version,
      release: props.release,
      namespace: props.namespace,
      wait: true,
      timeout: props.timeout,
      values: props.values,
    });
    this.chart.node.addDependency(this.identity.association);
  }
}
