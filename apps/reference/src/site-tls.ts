/**
 * HTTPS at the site's edge. The certificate comes from the context: `-c certificateArn=...` (a
 * certificate of AWS Certificate Manager in the stack's account and region), or `-c domainName=...
 * -c hostedZoneId=...` to have ACM issue one for the name, validated through DNS in that Route 53
 * hosted zone, where a record then points the name at the ALB. Each value is checked: a value that
 * cannot work stops `cdk synth` with a message naming the key and what it accepts.
 *
 * This lives in the app, not in a library: `@s3www-eks/s3www` is a cdk8s library without AWS
 * dependencies and takes certificate ARNs and a host name; issuing a certificate and writing a DNS
 * record are two plain aws-cdk-lib resources of the account's domain, which the app owns.
 */
import { Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { contextValue } from './context-value';

/** The context values of HTTPS at the edge, checked. */
export interface SiteTlsSettings {
  /** The ACM certificate to serve; without it, one is issued for `domainName`. */
  readonly certificateArn?: string;
  /** The name the site is served under (the Ingress host, the certificate's name, the DNS record). */
  readonly domainName?: string;
  /** The Route 53 hosted zone that holds `domainName`. */
  readonly hostedZoneId?: string;
}

const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[0-9a-f-]{36}$/;
// Labels of 1 to 63 characters, the last one (the top-level domain) of 2 at least and starting with a letter.
const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** ACM's longest domain name for a certificate's subject. */
const ACM_MAX_DOMAIN = 64;

/**
 * The HTTPS settings of `-c certificateArn`, `-c domainName` and `-c hostedZoneId`, checked against
 * the stack's account and region (when known): undefined when none is given, an error when the
 * environment serves HTTPS only and none is given.
 */
export function siteTlsSettings(
  scope: IConstruct, environment: { name: string; httpsOnly: boolean }, stack: { account: string; region: string },
): SiteTlsSettings | undefined {
  const certificateArn = contextValue(scope, 'certificateArn');
  const domainName = contextValue(scope, 'domainName');
  const hostedZoneId = contextValue(scope, 'hostedZoneId');
  if (!certificateArn && !domainName && !hostedZoneId) {
    if (environment.httpsOnly) {
      throw new Error(`environment '${environment.name}' serves HTTPS only and needs a certificate: pass -c certificateArn=<ARN of an ACM certificate in ${stack.region}>, `
        + 'or -c domainName=<the site\'s name> -c hostedZoneId=<its Route 53 hosted zone> to issue one');
    }
    return undefined;
  }
  if (certificateArn !== undefined) {
    const match = CERTIFICATE_ARN.exec(certificateArn);
    if (!match) {
      throw new Error(`'-c certificateArn' must be the ARN of an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>), got "${certificateArn}"`);
    }
    if (!Token.isUnresolved(stack.region) && match[1] !== stack.region) {
      throw new Error(`'-c certificateArn' must be a certificate in the stack's region (${stack.region}): a load balancer serves certificates of its own region only, got one in ${match[1]}`);
    }
    if (!Token.isUnresolved(stack.account) && match[2] !== stack.account) {
      throw new Error(`'-c certificateArn' must be a certificate of the stack's account (${stack.account}), got one of ${match[2]}`);
    }
  }
  if (domainName !== undefined) {
    if (!DOMAIN_NAME.test(domainName)) {
      throw new Error(`'-c domainName' must be a lowercase DNS name of at least two labels, such as www.example.com (no wildcard, no trailing dot), got "${domainName}"`);
    }
    if (hostedZoneId === undefined) {
      throw new Error(`'-c domainName' needs '-c hostedZoneId', the Route 53 hosted zone that holds ${domainName} (where the certificate is validated and the site's record written), got domainName alone`);
    }
    if (certificateArn === undefined && domainName.length > ACM_MAX_DOMAIN) {
      throw new Error(`'-c domainName' must be at most ${ACM_MAX_DOMAIN} characters for ACM to issue a certificate for it (or pass -c certificateArn of a certificate that covers it), got "${domainName}" (${domainName.length} characters)`);
    }
  }
  if (hostedZoneId !== undefined) {
    if (!HOSTED_ZONE_ID.test(hostedZoneId)) {
      throw new Error(`'-c hostedZoneId' must be the id of a Route 53 hosted zone, such as Z0123456789ABCDEFGHIJ, got "${hostedZoneId}"`);
    }
    if (domainName === undefined) {
      throw new Error(`'-c hostedZoneId' needs '-c domainName', the name in that zone the site is served under, got hostedZoneId "${hostedZoneId}" alone`);
    }
  }
  return { certificateArn, domainName, hostedZoneId };
}

/**
 * The certificate of the site (the given one, or one ACM issues for the domain name, validated
 * through DNS in the hosted zone) and, with a hosted zone, the record that points the name at the
 * site's load balancer.
 */
export class SiteTls extends Construct {
  /** The ARN of the certificate the ALB serves: the given one, or the issued one's (known at deploy time). */
  public readonly certificateArn: string;
  /** The name the site is served under, when one is given. */
  public readonly domainName?: string;
  /** The certificate ACM issues, when no ARN is given. */
  public readonly certificate?: acm.Certificate;
  /** The hosted zone of the domain name, when one is given. */
  public readonly hostedZone?: route53.IHostedZone;

  constructor(scope: Construct, id: string, settings: SiteTlsSettings) {
    super(scope, id);
    this.domainName = settings.domainName;
    if (settings.hostedZoneId) this.hostedZone = route53.HostedZone.fromHostedZoneId(this, 'Zone', settings.hostedZoneId);
    if (settings.certificateArn) {
      this.certificateArn = settings.certificateArn;
    } else {
      this.certificate = new acm.Certificate(this, 'Certificate', {
        domainName: settings.domainName!,
        validation: acm.CertificateValidation.fromDns(this.hostedZone),
      });
      this.certificateArn = this.certificate.certificateArn;
    }
  }

  /**
   * Points the domain name at the load balancer's host name with a CNAME record (no record without a
   * hosted zone). A CNAME cannot be the zone's apex: serve a name below it, such as www.
   */
  public addRecord(loadBalancerHost: string): route53.CnameRecord | undefined {
    if (!this.hostedZone || !this.domainName) return undefined;
    return new route53.CnameRecord(this, 'Record', {
      zone: this.hostedZone,
      // Fully qualified: a zone known by its id alone has no name to append.
      recordName: `${this.domainName}.`,
      domainName: loadBalancerHost,
      comment: 'The s3www site, on the ALB of its Ingress',
    });
  }
}
