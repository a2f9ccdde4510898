/**
 * How the web tier is reached from outside the cluster: a LoadBalancer Service (an NLB made by
 * the AWS Load Balancer Controller) or an Ingress of class `alb`. Without either, the Service is
 * ClusterIP and only reachable inside the cluster.
 */
import { checkCidr, checkDnsSubdomain, checkUrlPath, fail, isUnresolvedToken } from '@s3www-eks/cdk8s-common';
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
   * Serves HTTPS on port 443 with ACM certificates, and answers HTTP on port 80 only with a
   * redirect to HTTPS. The ALB ends TLS: it sends plain HTTP to the pods, inside the VPC.
   * @default - HTTP on port 80 only
   */
  readonly tls?: AlbTlsOptions;

  /**
   * Extra annotations of the Ingress, for settings this construct does not model (e.g.
   * `alb.ingress.kubernetes.io/group.name`). They override the construct's own annotations.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
}

/**
 * An ELB security policy for the HTTPS listener: the TLS versions and ciphers the ALB accepts.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export class AlbSslPolicy {
  /**
   * TLS 1.3 and 1.2 with restricted ciphers, hybrid post-quantum key exchange (ML-KEM) for clients
   * that offer it: what AWS recommends, and the default of the ELB console.
   */
  public static readonly TLS13_1_2_RES_PQ_2025_09 = new AlbSslPolicy('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09');
  /** TLS 1.3 only, with hybrid post-quantum key exchange: for sites whose clients all speak TLS 1.3. */
  public static readonly TLS13_1_3_PQ_2025_09 = new AlbSslPolicy('ELBSecurityPolicy-TLS13-1-3-PQ-2025-09');
  /** As `TLS13_1_2_RES_PQ_2025_09`, with FIPS 140-3 validated cryptography. */
  public static readonly TLS13_1_2_RES_FIPS_PQ_2025_09 = new AlbSslPolicy('ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09');
  /** TLS 1.3 and 1.2 with restricted ciphers, without post-quantum key exchange. */
  public static readonly TLS13_1_2_RES_2021_06 = new AlbSslPolicy('ELBSecurityPolicy-TLS13-1-2-Res-2021-06');

  /**
   * A policy by name, e.g. one AWS publishes after this library. Policies that allow TLS 1.0 or 1.1
   * are refused: `ELBSecurityPolicy-2016-08` (what the controller uses when none is named),
   * `-2015-05`, `-TLS-1-0-*`, `-TLS-1-1-*`, `-TLS13-1-0-*`, `-TLS13-1-1-*`, `-FS-2018-06` and `-FS-1-1-*`.
   * @param name the policy name, `ELBSecurityPolicy-...`
   */
  public static of(name: string): AlbSslPolicy {
    if (!/^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(name)) {
      fail('ingress.tls.sslPolicy', 'must be the name of an ELB security policy (ELBSecurityPolicy-...)', name);
    }
    if (LEGACY_POLICY.test(name)) {
      fail('ingress.tls.sslPolicy', 'must not allow TLS 1.0 or 1.1: use AlbSslPolicy.TLS13_1_2_RES_PQ_2025_09 or another TLS 1.2+ policy', name);
    }
    return new AlbSslPolicy(name);
  }

  private constructor(
    /** The policy name, as the `alb.ingress.kubernetes.io/ssl-policy` annotation takes it. */
    public readonly name: string,
  ) {}
}

/** The predefined policies that still accept TLS 1.0 or 1.1. */
const LEGACY_POLICY = /^ELBSecurityPolicy-(2015-05|2016-08|TLS-1-0-|TLS-1-1-|TLS13-1-0-|TLS13-1-1-|FS-2018-06|FS-1-1-)/;

/** HTTPS on an ALB: certificates of AWS Certificate Manager and a security policy. */
export interface AlbTlsOptions {
  /**
   * ARNs of ACM certificates in the load balancer's region. The first is the listener's default
   * certificate; the others are served to clients that ask for their names (SNI). A deploy-time
   * value of AWS CDK (the ARN of a certificate created in the same app) is taken as is.
   */
  readonly certificateArns: string[];

  /**
   * The security policy of the HTTPS listener (TLS versions and ciphers). Without one the AWS Load
   * Balancer Controller would use ELBSecurityPolicy-2016-08, which still accepts TLS 1.0.
   * @default AlbSslPolicy.TLS13_1_2_RES_PQ_2025_09
   */
  readonly sslPolicy?: AlbSslPolicy;
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
  const tls = options.tls;
  if (tls) {
    if (tls.certificateArns.length === 0) {
      fail('ingress.tls.certificateArns', 'must name at least one ACM certificate', tls.certificateArns);
    }
    tls.certificateArns.forEach((arn, i) => {
      if (!isUnresolvedToken(arn) && !CERTIFICATE_ARN.test(arn)) {
        fail(`ingress.tls.certificateArns[${i}]`, 'must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)', arn);
      }
    });
    const repeated = tls.certificateArns.find((arn, i) => tls.certificateArns.indexOf(arn) !== i);
    if (repeated !== undefined) fail('ingress.tls.certificateArns', 'must name each certificate once', repeated);
  }
  return {
    annotations: {
      'alb.ingress.kubernetes.io/scheme': options.scheme ?? LoadBalancerScheme.INTERNET_FACING,
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': healthCheckPath,
      'alb.ingress.kubernetes.io/listen-ports': tls ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]',
      ...(tls ? {
        'alb.ingress.kubernetes.io/certificate-arn': tls.certificateArns.join(','),
        'alb.ingress.kubernetes.io/ssl-policy': (tls.sslPolicy ?? AlbSslPolicy.TLS13_1_2_RES_PQ_2025_09).name,
        // The HTTP listener answers every request with a redirect to HTTPS, and serves nothing.
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
