/**
 * Default-deny policies for the MinIO pods and the bucket job, with the few openings the
 * deployment itself needs: DNS, node-to-node traffic in distributed mode, and the bucket job to
 * the API. Anything else (clients, Prometheus, the console) is opened by an `allow*` call.
 */
import { isolate, Peer, Workload } from '@s3www-eks/cdk8s-common';
import { NetworkPolicy, NetworkPolicyPort, Pods } from 'cdk8s-plus-33';
import { Construct } from 'constructs';

/** What the isolation policies need to know about the deployment. */
export interface NetworkIsolationProps {
  readonly namespace: string;
  readonly apiPort: number;
  /** Distributed nodes talk to each other on the API port. */
  readonly distributed: boolean;
  /** The DNS servers the pods may query. */
  readonly dns: Peer;
  /** Labels of the bucket job's pods, when there is one. */
  readonly jobLabels?: Record<string, string>;
}

/** The server pods' policy (and the bucket job's, when there is one). */
export class NetworkIsolation extends Construct {
  public readonly serverPolicy: NetworkPolicy;
  public readonly jobPolicy?: NetworkPolicy;

  constructor(scope: Construct, id: string, server: Workload, props: NetworkIsolationProps) {
    super(scope, id);
    const api = [NetworkPolicyPort.tcp(props.apiPort)];
    this.serverPolicy = isolate(this, 'Server', { name: server.name, namespace: props.namespace, dns: props.dns, selector: server });
    if (props.distributed) {
      this.serverPolicy.addIngressRule(server, api);
      this.serverPolicy.addEgressRule(server, api);
    }
    if (props.jobLabels) {
      const job = Pods.select(this, 'BucketJobPods', { labels: props.jobLabels });
      this.serverPolicy.addIngressRule(job, api);
      this.jobPolicy = isolate(this, 'BucketJob', { name: `${server.name}-buckets`, namespace: props.namespace, dns: props.dns, selector: job });
      this.jobPolicy.addEgressRule(server, api);
    }
  }
}
