import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';

/** What the isolation policies need to know about the deployment. */
export interface NetworkIsolationProps {
  readonly namePrefix: string;
  readonly namespace: string;
  readonly serverLabels: Record<string, string>;
  readonly apiPort: number;
  /** Distributed nodes talk to each other on the API port. */
  readonly distributed: boolean;
  /** Labels of the bucket job's pods, when there is one. */
  readonly jobLabels?: Record<string, string>;
}

/**
 * Default-deny policies for the MinIO pods and the bucket job, with the few openings the
 * deployment itself needs: DNS, node-to-node traffic in distributed mode, and the bucket job
 * to the API. Anything else (clients, Prometheus, the console) is opened by an explicit allow.
 */
export class NetworkIsolation extends Construct {
  public readonly serverPolicy: k8s.KubeNetworkPolicy;
  public readonly jobPolicy?: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: NetworkIsolationProps) {
    super(scope, id);
    const api: k8s.NetworkPolicyPort[] = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(props.apiPort) }];
    const servers: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: props.serverLabels } };

    const ingress: k8s.NetworkPolicyIngressRule[] = [];
    const egress: k8s.NetworkPolicyEgressRule[] = [dnsRule()];
    if (props.distributed) {
      ingress.push({ from: [servers], ports: api });
      egress.push({ to: [servers], ports: api });
    }
    if (props.jobLabels) {
      ingress.push({ from: [{ podSelector: { matchLabels: props.jobLabels } }], ports: api });
    }
    this.serverPolicy = new k8s.KubeNetworkPolicy(this, 'Server', {
      metadata: { name: props.namePrefix, namespace: props.namespace },
      spec: {
        podSelector: { matchLabels: props.serverLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: ingress.length ? ingress : undefined,
        egress,
      },
    });

    if (props.jobLabels) {
      this.jobPolicy = new k8s.KubeNetworkPolicy(this, 'BucketJob', {
        metadata: { name: `${props.namePrefix}-buckets`, namespace: props.namespace },
        spec: {
          podSelector: { matchLabels: props.jobLabels },
          policyTypes: ['Ingress', 'Egress'],
          egress: [dnsRule(), { to: [servers], ports: api }],
        },
      });
    }
  }
}

/**
 * DNS on port 53 to any destination: cluster DNS runs in kube-system on most clusters, but on
 * the node (NodeLocal DNSCache, host-network resolvers) on others, where no pod selector matches.
 */
function dnsRule(): k8s.NetworkPolicyEgressRule {
  return {
    ports: [
      { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
    ],
  };
}
