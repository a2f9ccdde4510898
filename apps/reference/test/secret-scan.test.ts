import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { scanFiles, scanKubernetesObjects, scanTemplate, scanText, textFilesUnder } from '../src/secret-scan';

// Test inputs are assembled at run time so this file itself holds nothing a scanner would flag.
const accessKeyId = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
const privateKey = ['-----BEGIN', ' RSA PRIVATE KEY-----\n', 'MIIEowIBAAKCAQEA'.repeat(6), '\n-----END RSA PRIVATE KEY-----'].join('');

describe('scanText', () => {
  test.each([
    ['AWS access key id', `{"key":"${accessKeyId}"}`],
    ['AWS secret access key assignment', `aws_secret_access_key = ${'wJalrXUtnFEMI/K7MDENG/bPxRfiCY'}EXAMPLEKEY`],
    ['private key', privateKey],
    ['MinIO default credentials', 'MINIO_ROOT_USER=' + 'minio' + 'admin'],
    ['literal MinIO root password', '{"name":"MINIO_ROOT_PASSWORD","value":"hunter22"}'.replace('","value":"', '":"')],
  ])('finds a %s', (what, text) => {
    expect(scanText('file', text)).toContainEqual({ where: 'file', what });
  });

  test.each([
    ['an asset hash', '"assetHash":"0f3b7c2a9d8e1f4b6a5c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a"'],
    ['a secret read from a file', '{"name":"MINIO_ROOT_PASSWORD_FILE","value":"/run/secrets/password"}'],
    ['a secret reference', '{"name":"MINIO_ROOT_PASSWORD","valueFrom":{"secretKeyRef":{"name":"creds","key":"password"}}}'],
    ['a resolved token', '"MINIO_ROOT_PASSWORD": "${Token[TOKEN.123]}"'],
  ])('ignores %s', (_, text) => {
    expect(scanText('file', text)).toEqual([]);
  });
});

describe('scanFiles', () => {
  test('reads every text file under the folders and skips archives', () => {
    // GIVEN
    const dir = mkdtempSync(join(tmpdir(), 'scan-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', 'leak.yaml'), `key: ${accessKeyId}\n`);
    writeFileSync(join(dir, 'clean.json'), '{}');
    writeFileSync(join(dir, 'layer.zip'), accessKeyId);
    // WHEN
    const files = textFilesUnder(dir);
    // THEN
    expect(files.map((f) => f.slice(dir.length)).sort()).toEqual(['/clean.json', '/nested/leak.yaml']);
    expect(scanFiles(files)).toEqual([{ where: join(dir, 'nested', 'leak.yaml'), what: 'AWS access key id' }]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('scanKubernetesObjects', () => {
  test('flags Secrets that carry values and literal credentials in containers', () => {
    const objects = [
      { kind: 'Secret', metadata: { name: 'a', namespace: 'ns' }, data: { password: 'aHVudGVyMg==' } },
      { kind: 'Secret', metadata: { name: 'b', namespace: 'ns' }, stringData: { password: 'x' } },
      {
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'ns' },
        spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'AWS_SECRET_ACCESS_KEY', value: 'x' }] }] } } },
      },
      {
        kind: 'CronJob',
        metadata: { name: 'job', namespace: 'ns' },
        spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'API_TOKEN', value: 'x' }] }] } } } } },
      },
    ];
    expect(scanKubernetesObjects(objects)).toEqual([
      { where: 'Secret ns/a', what: 'a Secret with data or stringData' },
      { where: 'Secret ns/b', what: 'a Secret with data or stringData' },
      { where: 'Deployment ns/web', what: 'literal value for environment variable AWS_SECRET_ACCESS_KEY' },
      { where: 'CronJob ns/job', what: 'literal value for environment variable API_TOKEN' },
    ]);
  });

  test('accepts references, files and Secrets without values', () => {
    const objects = [
      { kind: 'Secret', metadata: { name: 'empty' }, type: 'Opaque' },
      {
        kind: 'StatefulSet',
        metadata: { name: 'minio' },
        spec: {
          template: {
            spec: {
              containers: [{
                name: 'minio',
                env: [
                  { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } },
                  { name: 'S3_SECRET_KEY_FILE', value: '/creds/password' },
                  { name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: 'jwt' },
                ],
              }],
            },
          },
        },
      },
    ];
    expect(scanKubernetesObjects(objects)).toEqual([]);
  });
});

describe('scanTemplate', () => {
  test('flags literal secret strings and password properties, not generated ones', () => {
    const template = {
      Resources: {
        Literal: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: '{"password":"x"}' } },
        Generated: { Type: 'AWS::SecretsManager::Secret', Properties: { GenerateSecretString: { PasswordLength: 40 } } },
        Db: { Type: 'AWS::RDS::DBInstance', Properties: { MasterUserPassword: 'x' } },
        DbResolved: { Type: 'AWS::RDS::DBInstance', Properties: { MasterUserPassword: { 'Fn::Join': ['', ['{{resolve:', 'x}}']] } } },
      },
    };
    expect(scanTemplate('t', template)).toEqual([
      { where: 't Literal', what: 'a Secrets Manager secret with a literal SecretString' },
      { where: 't Db', what: 'literal value for property MasterUserPassword' },
    ]);
  });
});
