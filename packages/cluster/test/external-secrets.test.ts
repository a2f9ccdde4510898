import { Duration, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { clusterStack, helmReleases } from './fixtures';
import { schemaProblems } from '../../../tools/testing/kubernetes';

describe('syncSecret', () => {
  let template: Template;
  beforeAll(() => {
    const { stack, cluster } = clusterStack();
    const minio = new secretsmanager.Secret(stack, 'Minio', { generateSecretString: { secretStringTemplate: '{"username":"admin"}', generateStringKey: 'password' } });
    Validations.of(minio).acknowledge({ id: 'AwsSolutions-SMG4', reason: 'Test fixture' });
    const imported = secretsmanager.Secret.fromSecretNameV2(stack, 'Imported', 'shared/api-key');
    cluster.syncSecret('MinioRoot', { secret: minio, namespace: 'storage', name: 'minio-root', keys: { rootUser: 'username', rootPassword: 'password' } });
    cluster.syncSecret('ApiKey', { secret: imported, namespace: 'web', name: 'api-key', refreshInterval: Duration.minutes(5) });
    template = Template.fromStack(stack);
  });

  test('installs External Secrets Operator once, pinned, with its CRDs', () => {
    expect(helmReleases(template)['external-secrets']).toEqual(expect.objectContaining({
      Chart: 'external-secrets', Version: '2.7.0', Namespace: 'external-secrets', Repository: 'https://charts.external-secrets.io', Wait: true,
    }));
    expect(JSON.parse(helmReleases(template)['external-secrets'].Values)).toEqual({ installCRDs: true, serviceAccount: { create: true, name: 'external-secrets' } });
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 3);
  });

  test('the operator reads only the synced secrets, through Pod Identity', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'external-secrets', ServiceAccount: 'external-secrets' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('ExternalSecretsIdentityRole') }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: { Ref: Match.stringLikeRegexp('^Minio') } }),
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }) }),
        ],
      },
    });
  });

  test('maps chosen keys with a namespaced SecretStore and an ExternalSecret that owns the Kubernetes Secret', () => {
    const minio = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource', {
      Properties: { Manifest: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('minio-root')])] } },
    }));
    expect(minio).toHaveLength(1);
    const rendered = JSON.stringify(minio[0].Properties.Manifest);
    for (const fragment of [
      '\\"kind\\":\\"SecretStore\\",\\"metadata\\":{\\"name\\":\\"minio-root-aws\\",\\"namespace\\":\\"storage\\"',
      '\\"provider\\":{\\"aws\\":{\\"service\\":\\"SecretsManager\\",\\"region\\":\\"us-east-1\\"}}',
      '\\"target\\":{\\"name\\":\\"minio-root\\",\\"creationPolicy\\":\\"Owner\\"}',
      '\\"secretKey\\":\\"rootUser\\",\\"remoteRef\\":{\\"key\\":\\"',
      '\\"property\\":\\"username\\"',
      '\\"refreshInterval\\":\\"3600s\\"',
    ]) {
      expect(rendered).toContain(fragment);
    }
  });

  test('without keys, copies every property of the secret', () => {
    const apiKey = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource', {
      Properties: { Manifest: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('api-key')])] } },
    }));
    const rendered = JSON.stringify(apiKey[0].Properties.Manifest);
    expect(rendered).toContain('\\"dataFrom\\":[{\\"extract\\":{\\"key\\":\\"');
    expect(rendered).toContain('\\"refreshInterval\\":\\"300s\\"');
    expect(rendered).toContain('secret:shared/api-key');
  });

  test('no secret value or dynamic reference to one appears in the template', () => {
    // GenerateSecretString is fine: Secrets Manager generates the value, the template never holds it.
    const text = JSON.stringify(template.toJSON());
    expect(text.includes('resolve:secretsmanager')).toBe(false);
    expect(/"SecretString":/.test(text)).toBe(false);
  });

  test('a synced secret waits for the operator and its read grant', () => {
    const [id] = Object.keys(template.findResources('Custom::AWSCDK-EKS-KubernetesResource', {
      Properties: { Manifest: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('minio-root')])] } },
    }));
    const dependsOn = template.toJSON().Resources[id].DependsOn as string[];
    expect(dependsOn.some((d) => d.startsWith('ClusterExternalSecretsChart'))).toBe(true);
    expect(dependsOn.some((d) => d.startsWith('ClusterExternalSecretsIdentityRoleDefaultPolicy'))).toBe(true);
  });
});

describe('validation', () => {
  const secretOf = (stack: any) => secretsmanager.Secret.fromSecretNameV2(stack, 'S', 'app');
  test.each([
    ['namespace', { namespace: 'Web', name: 'creds' }, "'namespace' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got 'Web'"],
    ['name', { namespace: 'web', name: 'creds_1' }, "'name' must be a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters), got 'creds_1'"],
  ])('rejects an invalid %s', (_, options, message) => {
    const { stack, cluster } = clusterStack();
    expect(() => cluster.syncSecret('X', { secret: secretOf(stack), ...options })).toThrow(message);
  });

  test('rejects an empty keys map', () => {
    const { stack, cluster } = clusterStack();
    expect(() => cluster.syncSecret('X', { secret: secretOf(stack), namespace: 'web', name: 'creds', keys: {} }))
      .toThrow("'keys' must map at least one Kubernetes key to a JSON property, got {}; omit it to copy every property");
  });
});

describe('the External Secrets schema the tests check objects against', () => {
  test('rejects a wrong enum value and an unknown field', () => {
    // GIVEN an ExternalSecret with a misspelt store kind and a field ESO does not have
    const bad = {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'x' },
      spec: { secretStoreRef: { kind: 'Store', name: 's' }, target: { name: 'x', creationPolicy: 'Owner', bogus: 1 } },
    };
    // WHEN / THEN
    expect(schemaProblems([bad]).map((p) => p.message)).toEqual([
      '/spec/secretStoreRef/kind must be one of SecretStore, ClusterSecretStore, got Store; unknown field spec.target.bogus',
    ]);
  });
});
