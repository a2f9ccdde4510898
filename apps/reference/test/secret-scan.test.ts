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

  // Each pattern at the edges of what it matches: the forms a real credential takes, and the look-alikes
  // around it that are not one.
  const keyBody = 'IOSFODNN7EXAMPLE';
  const secretKey = ['wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'].join('');
  const rootPassword = ['MINIO', 'ROOT', 'PASSWORD'].join('_');
  const pem = (label: string, body: string) => [`-----BEGIN ${label}-----`, body, `-----END ${label}-----`].join('\n');
  test.each([
    ['AWS access key id', 'of temporary credentials', `"${['AS', 'IA'].join('')}${keyBody}"`],
    ['AWS access key id', 'of a root user', `${['AB', 'IA'].join('')}${keyBody}`],
    ['AWS access key id', 'of a context key', `${['AC', 'CA'].join('')}${keyBody}`],
    ['AWS secret access key assignment', 'in YAML, CamelCase', `AwsSecretAccessKey: ${secretKey}`],
    ['AWS secret access key assignment', 'in JSON', `{"aws_secret_access_key":"${secretKey}"}`],
    ['AWS secret access key assignment', 'in a shell', `AWS_SECRET_ACCESS_KEY='${secretKey}'`],
    // 38 characters of body and the line breaks around it: the shortest run (40) the pattern takes as key material
    ['private key', 'in PKCS #8', pem(['PRIVATE', 'KEY'].join(' '), 'A'.repeat(38))],
    ['literal MinIO root password', 'in YAML', `${rootPassword}: hunter`],
    ['literal MinIO root password', 'in a shell', `${rootPassword}='hunter22'`],
    ['literal MinIO root password', 'in an env file', `${rootPassword}=hunter22`],
  ])('finds a %s %s', (what, _, text) => {
    expect(scanText('file', text)).toContainEqual({ where: 'file', what });
  });

  test.each([
    ['an access key id inside a longer word', `X${['AK', 'IA'].join('')}${keyBody}`],
    ['an access key id with one character more', `${['AK', 'IA'].join('')}${keyBody}X`],
    ['a 40-character value inside a longer one', `aws_secret_access_key=${secretKey}X`],
    ['a private key around fewer than 40 characters (a placeholder)', pem(['PRIVATE', 'KEY'].join(' '), 'A'.repeat(37))],
    ['a private key around a placeholder', pem(['PRIVATE', 'KEY'].join(' '), '...')],
    ['a longer name that holds the default user', 'minioadmins'],
    ['a name that ends in the default user', 'xminioadmin'],
    ['a MinIO root password of 5 characters', `${rootPassword}=abcde`],
    ['a MinIO root password from a variable', `${rootPassword}=$MINIO_PASSWORD`],
    ['a MinIO root password from a template', `${rootPassword}: {{ .Values.password }}`],
  ])('ignores %s', (_, text) => {
    expect(scanText('file', text)).toEqual([]);
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

describe('scanKubernetesObjects, on every kind of pod template', () => {
  const literal = (name: string) => ({ name, value: 'x' });
  test.each([
    ['a Pod', { kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', env: [literal('DB_PASSWORD')] }] } }],
    ['an init container', {
      kind: 'Job',
      metadata: { name: 'p', namespace: 'ns' },
      spec: { template: { spec: { initContainers: [{ name: 'i', env: [literal('DB_PASSWORD')] }], containers: [{ name: 'c' }] } } },
    }],
  ])('flags a literal credential in %s', (_, object) => {
    expect(scanKubernetesObjects([object])).toEqual([{ where: `${object.kind} ns/p`, what: 'literal value for environment variable DB_PASSWORD' }]);
  });

  test.each([
    ['no environment', { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } }],
    ['only init containers', { kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { initContainers: [{ name: 'i' }] } } } }],
    ['no pod template', { kind: 'Service', metadata: { name: 's' }, spec: { ports: [] } }],
    ['no spec', { kind: 'Deployment', metadata: { name: 'd' } }],
    ['a CronJob without a spec', { kind: 'CronJob', metadata: { name: 'c' } }],
    ['a CronJob without a job template', { kind: 'CronJob', metadata: { name: 'c' }, spec: { schedule: '@daily' } }],
    ['a CronJob whose job template has no spec', { kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: {} } }],
    ['a CronJob whose job has no template', { kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: {} } } }],
    ['a CronJob whose pod template has no spec', { kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: {} } } } }],
    ['a Deployment whose pod template has no spec', { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: {} } }],
    ['a Pod without a spec', { kind: 'Pod', metadata: { name: 'p' } }],
  ])('accepts an object with %s', (_, object) => {
    expect(scanKubernetesObjects([object])).toEqual([]);
  });

  test('names an object without a namespace or a name as well as it can', () => {
    expect(scanKubernetesObjects([{ kind: 'Secret', data: { a: 'Yg==' } }])).toEqual([{ where: 'Secret /(no name)', what: 'a Secret with data or stringData' }]);
  });
});

describe('scanTemplate', () => {
  test('takes a SecretString for a secret\'s value on a Secrets Manager secret only', () => {
    expect(scanTemplate('t', { Resources: { Rotation: { Type: 'Custom::Rotation', Properties: { SecretString: 'arn-of-the-secret' } } } })).toEqual([]);
  });

  test('accepts a template without resources, and resources without properties', () => {
    expect(scanTemplate('t', {})).toEqual([]);
    expect(scanTemplate('t', { Resources: { Topic: { Type: 'AWS::SNS::Topic' } } })).toEqual([]);
  });


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
