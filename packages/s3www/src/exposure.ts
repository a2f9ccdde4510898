/**
 * How the web tier is reached from outside the cluster: a LoadBalancer Service (an NLB made by
 * the AWS Load Balancer Controller) or an Ingress of class `alb`. Without either, the Service is
 * ClusterIP and only reachable inside the cluster.
 */
import { checkCidr, checkDnsSubdomain, checkUrlPath, fail } from '@s3www-eks/cdk8s-common';
import { k8s } from 'cdk8s-plus-33';

/** Whether an AWS load balancer is reachable from the internet. */
export enum LoadBalancerScheme {
  /** Public addresses in public subnets. */
  INTERNET_FACING = 'internet-facing',
  /** Private addresses in private subnets, for clients inside the VPC or connected to it. */
  INTERNAL = 'internal',
}

/** A Service of type LoadBalancer, provisioned as a Network Load Balancer with IP targets. */
export interface LoadBalancerOptions {
  /**
   * Internet-facing or internal.
   * @default LoadBalancerScheme.INTERNET_FACING
   */
  readonly scheme?: LoadBalancerScheme;

  /**
   * Client CIDR blocks the NLB accepts (`loadBalancerSourceRanges`).
   * @default - every address
   */
  readonly sourceRanges?: string[];

  /**
   * Extra annotations of the Service, for settings of the AWS Load Balancer Controller that
   * this construct does not model. They override the construct's own annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/** An Ingress of class `alb`: an Application Load Balancer with IP targets. */
export interface AlbIngressOptions {
  /**
   * Host name the rule matches; every host when omitted.
   * @default - every host
   */
  readonly host?: string;

  /**
   * Internet-facing or internal.
   * @default LoadBalancerScheme.INTERNET_FACING
   */
  readonly scheme?: LoadBalancerScheme;

  /**
   * Path the ALB health check requests. s3www has no health endpoint; `/` answers 200 with the
   * index or the listing of the bucket root.
   * @default '/'
   */
  readonly healthCheckPath?: string;

  /**
   * ARN of an ACM certificate: turns on an HTTPS listener on 443 and redirects HTTP to HTTPS.
   * @default - HTTP on port 80 only
   */
  readonly certificateArn?: string;

  /**
   * Extra annotations of the Ingress, for settings this construct does not model (e.g.
   * `alb.ingress.kubernetes.io/group.name`). They override the construct's own annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;

export function loadBalancerSpec(options: LoadBalancerOptions): { annotations: Record<string, string>; spec: Partial<k8s.ServiceSpec> } {
  (options.sourceRanges ?? []).forEach((range, i) => checkCidr(`loadBalancer.sourceRanges[${i}]`, range));
  return {
    annotations: {
      'service.beta.kubernetes.io/aws-load-balancer-scheme': options.scheme ?? LoadBalancerScheme.INTERNET_FACING,
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      ...options.annotations,
    },
    spec: {
      type: 'LoadBalancer',
      // Hands the Service to the AWS Load Balancer Controller rather than the legacy in-tree provider.
      loadBalancerClass: 'service.k8s.aws/nlb',
      ...(options.sourceRanges?.length ? { loadBalancerSourceRanges: options.sourceRanges } : {}),
    },
  };
}

export function ingressSpec(
  options: AlbIngressOptions, serviceName: string, servicePort: number,
): { annotations: Record<string, string>; spec: k8s.IngressSpec } {
  if (options.host !== undefined) checkDnsSubdomain('ingress.host', options.host);
  const healthCheckPath = options.healthCheckPath ?? '/';
  checkUrlPath('ingress.healthCheckPath', healthCheckPath);
  if (options.certificateArn !== undefined && !CERTIFICATE_ARN.test(options.certificateArn)) {
    fail('ingress.certificateArn', 'must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)', options.certificateArn);
  }
  const tls = options.certificateArn !== undefined;
  return {
    annotations: {
      'alb.ingress.kubernetes.io/scheme': options.scheme ?? LoadBalancerScheme.INTERNET_FACING,
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': healthCheckPath,
      'alb.ingress.kubernetes.io/listen-ports': tls ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]',
      ...(tls ? {
        'alb.ingress.kubernetes.io/certificate-arn': options.certificateArn!,
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
      } : {}),
      ...options.annotations,
    },
    spec: {
      ingressClassName: 'alb',
      rules: [{
        ...(options.host ? { host: options.host } : {}),
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: serviceName, port: { number: servicePort } } } }],
        },
      }],
    },
  };
}
