import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { COMPONENT, objectLabels, selectorLabels } from './labels';

/** Names and ports of the Services of one MinIO instance. */
export interface MinioServicesProps {
  readonly instance: string;
  readonly namespace: string;
  readonly apiName: string;
  readonly headlessName: string;
  /** Name of the console Service; no console Service without it. */
  readonly consoleName?: string;
  readonly apiPort: number;
  readonly consolePort: number;
}

/** Names of the container ports the Services target. */
export const PORT_NAMES = { api: 'api', console: 'console' } as const;

/**
 * The Services: the S3 API (ClusterIP), the headless Service that gives each pod a stable DNS
 * name, and the console (ClusterIP) when it is on. None of them is reachable from outside the
 * cluster: exposure is an Ingress or a port-forward the user adds deliberately.
 */
export class MinioServices extends Construct {
  public readonly api: k8s.KubeService;
  /** Labels of the API Service, for a ServiceMonitor that must not also select the others. */
  public readonly apiLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: MinioServicesProps) {
    super(scope, id);
    const selector = selectorLabels(props.instance, COMPONENT.server);
    const apiPort: k8s.ServicePort = { name: PORT_NAMES.api, port: props.apiPort, targetPort: k8s.IntOrString.fromString(PORT_NAMES.api), protocol: 'TCP' };
    const metadata = (name: string, component: string) => ({ name, namespace: props.namespace, labels: objectLabels(props.instance, component) });

    this.apiLabels = objectLabels(props.instance, COMPONENT.api);
    this.api = new k8s.KubeService(this, 'Api', {
      metadata: metadata(props.apiName, COMPONENT.api),
      spec: { type: 'ClusterIP', selector, ports: [apiPort] },
    });
    new k8s.KubeService(this, 'Headless', {
      metadata: metadata(props.headlessName, COMPONENT.peers),
      spec: {
        clusterIp: 'None',
        // Distributed nodes must resolve each other before any is ready: readiness needs quorum.
        publishNotReadyAddresses: true,
        selector,
        ports: [apiPort],
      },
    });
    if (props.consoleName) {
      new k8s.KubeService(this, 'Console', {
        metadata: metadata(props.consoleName, COMPONENT.console),
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [{ name: PORT_NAMES.console, port: props.consolePort, targetPort: k8s.IntOrString.fromString(PORT_NAMES.console), protocol: 'TCP' }],
        },
      });
    }
  }
}
