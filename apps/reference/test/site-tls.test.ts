import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expectCfnLintClean, expectNagClean, nagApp } from '../../../tools/testing/cloudformation';
import { EXAMPLE_CERTIFICATE_ARN } from '../src/deployment-target';
import { ENVIRONMENTS } from '../src/environments';
import { buildReferenceApp } from '../src/reference-app';
import { siteTlsSettings } from '../src/site-tls';
import { committedContext, kubernetesObjectsInTemplate, readTemplates, TOKEN_PLACEHOLDER } from '../src/synthesis';

type Json = Record<string, any>;

const OFFLINE = { account: '123456789012', region: 'us-east-1' };
/** A DNS name of 253 characters, the longest there is. */
const LONGEST_DOMAIN = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f6f1b3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b';
const app = (context: Record<string, unknown>) => new App({ context: { ...committedContext(), ...context } });
const settings = (context: Record<string, unknown>, environment = { name: 'prod', httpsOnly: true }) =>
  siteTlsSettings(app(context), environment, OFFLINE);

/** The Ingress the stack applies, and the site URL it outputs. */
function edgeOf(template: Template): { ingress: Json; siteUrl: Json } {
  const json = template.toJSON();
  const workload = Object.entries(kubernetesObjectsInTemplate(json)).find(([id]) => id.includes('Workload'))![1];
  return { ingress: workload.find((o) => o.kind === 'Ingress')!, siteUrl: json.Outputs.SiteUrl };
}

describe('HTTPS at the edge', () => {
  test('staging and prod refuse to synthesize without a certificate, saying which -c to pass', () => {
    for (const env of ['staging', 'prod']) {
      expect(() => buildReferenceApp(app({ env }), { target: OFFLINE })).toThrow(new Error(
        `environment '${env}' serves HTTPS only and needs a certificate: pass -c certificateArn=<ARN of an ACM certificate in us-east-1>, `
        + 'or -c domainName=<the site\'s name> -c hostedZoneId=<its Route 53 hosted zone> to issue one'));
    }
  });

  test('dev serves plain HTTP without a certificate, and says so', () => {
    expect(ENVIRONMENTS.dev.httpsOnly).toBe(false);
    const template = Template.fromStack(buildReferenceApp(app({ env: 'dev' }), { target: OFFLINE }));
    const { ingress, siteUrl } = edgeOf(template);
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTP":80}]');
    expect(JSON.stringify(siteUrl.Value)).toContain('"http://');
    expect(siteUrl.Description).toContain('plain HTTP: dev serves no certificate unless given one');
  });

  test('-c domainName with -c hostedZoneId: ACM issues the certificate through DNS in the zone, and a record points the name at the ALB', () => {
    // GIVEN / WHEN
    const template = Template.fromStack(buildReferenceApp(app({ env: 'prod', domainName: 'www.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }), { target: OFFLINE }));
    // THEN
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'www.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'www.example.com', HostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    });
    const records = Object.values(template.findResources('AWS::Route53::RecordSet'));
    expect(records).toHaveLength(1);
    expect(records[0].Properties).toMatchObject({ Name: 'www.example.com.', Type: 'CNAME', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    // the ALB's host name, read from the Ingress status at deploy time
    expect(JSON.stringify(records[0].Properties.ResourceRecords)).toContain('Value');
    const { ingress, siteUrl } = edgeOf(template);
    expect(ingress.spec.rules[0].host).toBe('www.example.com');
    // the certificate's ARN is known at deploy time only: the manifest takes it from CloudFormation
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/certificate-arn': TOKEN_PLACEHOLDER,
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
    });
    const workload = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).find((r) => JSON.stringify(r).includes('"Ingress'))!;
    const certificateId = Object.keys(template.findResources('AWS::CertificateManager::Certificate'))[0];
    expect(JSON.stringify(workload.Properties.Manifest)).toContain(`{"Ref":"${certificateId}"}`);
    expect(siteUrl.Value).toBe('https://www.example.com/');
    expect(siteUrl.Description).toContain('HTTPS only (its name, pointed at the ALB of the Ingress)');
    expect(records[0].Properties.Comment).toBe('The s3www site, on the ALB of its Ingress');
  });

  test('the issued certificate and the record pass cdk-nag and cfn-lint', () => {
    const nagged = nagApp({ context: { ...committedContext(), env: 'dev', domainName: 'www.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' } });
    buildReferenceApp(nagged, { target: OFFLINE });
    expectNagClean(nagged);
    const templates = readTemplates(nagged.outdir);
    expect(JSON.stringify(templates)).toContain('AWS::CertificateManager::Certificate');
    expectCfnLintClean(templates);
  });

  test('-c certificateArn with a domain and its zone: that certificate, no new one, and the record', () => {
    const template = Template.fromStack(buildReferenceApp(app({
      env: 'staging', certificateArn: CERT, domainName: 'staging.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    }), { target: OFFLINE }));
    template.resourceCountIs('AWS::CertificateManager::Certificate', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    const { ingress, siteUrl } = edgeOf(template);
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(CERT);
    expect(siteUrl.Value).toBe('https://staging.example.com/');
  });

  test('-c certificateArn alone: HTTPS on the ALB\'s own name, which the certificate must be pointed at', () => {
    const template = Template.fromStack(buildReferenceApp(app({ env: 'dev', certificateArn: CERT }), { target: OFFLINE }));
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    const { ingress, siteUrl } = edgeOf(template);
    expect(ingress.spec.rules[0].host).toBeUndefined();
    expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/certificate-arn']).toBe(CERT);
    expect(JSON.stringify(siteUrl.Value)).toContain('"https://');
    expect(siteUrl.Description).toContain('point a name of the certificate at it');
  });

  test('the offline synthesis gives staging and prod an example certificate that no account holds', () => {
    expect(EXAMPLE_CERTIFICATE_ARN).toBe('arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000');
    expect(settings({ certificateArn: EXAMPLE_CERTIFICATE_ARN })).toEqual({ certificateArn: EXAMPLE_CERTIFICATE_ARN });
  });

  describe('validation', () => {
    test.each([
      ['a malformed certificate ARN', { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/not-an-id' },
        '\'-c certificateArn\' must be the ARN of an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>), got "arn:aws:acm:us-east-1:123456789012:certificate/not-an-id"'],
      ['an IAM server certificate', { certificateArn: 'arn:aws:iam::123456789012:server-certificate/site' },
        '\'-c certificateArn\' must be the ARN of an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>), got "arn:aws:iam::123456789012:server-certificate/site"'],
      ['a certificate of another region', { certificateArn: CERT.replace('us-east-1', 'eu-west-1') },
        '\'-c certificateArn\' must be a certificate in the stack\'s region (us-east-1): a load balancer serves certificates of its own region only, got one in eu-west-1'],
      ['a certificate of another account', { certificateArn: CERT.replace('123456789012', '210987654321') },
        '\'-c certificateArn\' must be a certificate of the stack\'s account (123456789012), got one of 210987654321'],
      ['a domain without a zone', { domainName: 'www.example.com' },
        '\'-c domainName\' needs \'-c hostedZoneId\', the Route 53 hosted zone that holds www.example.com (where the certificate is validated and the site\'s record written), got domainName alone'],
      ['a domain without a zone, even with a certificate', { domainName: 'www.example.com', certificateArn: CERT },
        '\'-c domainName\' needs \'-c hostedZoneId\', the Route 53 hosted zone that holds www.example.com (where the certificate is validated and the site\'s record written), got domainName alone'],
      ['a zone without a domain', { hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        '\'-c hostedZoneId\' needs \'-c domainName\', the name in that zone the site is served under, got hostedZoneId "Z0123456789ABCDEFGHIJ" alone'],
      ['a wildcard domain', { domainName: '*.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        '\'-c domainName\' must be a lowercase DNS name of at least two labels, such as www.example.com (no wildcard, no trailing dot), got "*.example.com"'],
      ['a domain of one label', { domainName: 'localhost', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        '\'-c domainName\' must be a lowercase DNS name of at least two labels, such as www.example.com (no wildcard, no trailing dot), got "localhost"'],
      ['a domain with capitals', { domainName: 'WWW.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        '\'-c domainName\' must be a lowercase DNS name of at least two labels, such as www.example.com (no wildcard, no trailing dot), got "WWW.example.com"'],
      ['a domain too long for ACM to issue', { domainName: `${'a'.repeat(60)}.example.com`, hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
        `'-c domainName' must be at most 64 characters for ACM to issue a certificate for it (or pass -c certificateArn of a certificate that covers it), got "${'a'.repeat(60)}.example.com" (72 characters)`],
      ['a zone name for a zone id', { domainName: 'www.example.com', hostedZoneId: 'example.com' },
        '\'-c hostedZoneId\' must be the id of a Route 53 hosted zone, such as Z0123456789ABCDEFGHIJ, got "example.com"'],
    ])('%s fails', (_case, context, message) => {
      expect(() => settings(context)).toThrow(new Error(message));
    });

    test.each([
      ['a certificate ARN after other text', { certificateArn: `certificateArn=${CERT}` }, '\'-c certificateArn\' must be the ARN of an ACM certificate'],
      ['a certificate ARN with more after it', { certificateArn: `${CERT}/` }, '\'-c certificateArn\' must be the ARN of an ACM certificate'],
      ['a domain with a trailing dot', { domainName: 'www.example.com.', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, '\'-c domainName\' must be a lowercase DNS name'],
      ['a domain with a one-letter top-level domain', { domainName: 'www.example.c', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, '\'-c domainName\' must be a lowercase DNS name'],
      ['a domain longer than 253 characters', { domainName: LONGEST_DOMAIN.replace('.com', 'x.com'), hostedZoneId: 'Z0123456789ABCDEFGHIJ', certificateArn: CERT },
        '\'-c domainName\' must be a lowercase DNS name'],
      ['a zone id as the Route 53 API returns it', { domainName: 'www.example.com', hostedZoneId: '/hostedzone/Z0123456789ABCDEFGHIJ' }, '\'-c hostedZoneId\' must be the id of a Route 53 hosted zone'],
      ['a zone id in lowercase', { domainName: 'www.example.com', hostedZoneId: 'Z0123456789abcdefghij' }, '\'-c hostedZoneId\' must be the id of a Route 53 hosted zone'],
    ])('%s fails', (_case, context, message) => {
      expect(() => settings(context)).toThrow(message);
    });

    test.each([
      ['a domain of 253 characters', { domainName: LONGEST_DOMAIN, hostedZoneId: 'Z0123456789ABCDEFGHIJ', certificateArn: CERT }],
      ['a domain of 64 characters, for ACM to issue', { domainName: `${'a'.repeat(52)}.example.com`, hostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
      ['a domain with one-letter labels and a two-letter top-level domain', { domainName: 'a.b.io', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }],
    ])('%s is taken', (_case, context) => {
      expect(settings(context)).toEqual(context);
    });

    test('a certificate of GovCloud is taken in its own region', () => {
      const certificateArn = 'arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/0f6f1b3e-2c4d-4e5f-8a9b-0c1d2e3f4a5b';
      expect(siteTlsSettings(app({ certificateArn }), { name: 'prod', httpsOnly: true }, { ...OFFLINE, region: 'us-gov-west-1' })).toEqual({ certificateArn });
    });

    test('a long domain is fine with a certificate that covers it', () => {
      const domainName = `${'a'.repeat(60)}.example.com`;
      expect(settings({ domainName, hostedZoneId: 'Z0123456789ABCDEFGHIJ', certificateArn: CERT })).toEqual({ domainName, hostedZoneId: 'Z0123456789ABCDEFGHIJ', certificateArn: CERT });
    });

    test('the account and region are not checked while the stack does not know them', () => {
      const unknown = { account: '${Token[AWS.AccountId.1]}', region: '${Token[AWS.Region.2]}' };
      expect(siteTlsSettings(app({ certificateArn: CERT.replace('us-east-1', 'eu-west-1') }), { name: 'prod', httpsOnly: true }, unknown)?.certificateArn).toContain('eu-west-1');
    });
  });
});
