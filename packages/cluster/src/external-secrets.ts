import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { IdentifiedHelmRelease } from './helm-release';
import { checkDnsLabel } from './validation';

const NAMESPACE = 'external-secrets';
const SERVICE_ACCOUNT = 'external-secrets';

/** What to copy from AWS Secrets Manager into a Kubernetes Secret. */
export interface SyncSecretOptions {
  /** The Secrets Manager secret to read. Its value never enters a template or manifest, only its ARN. */
  readonly secret: secretsmanager.ISecret;

  /** Namespace of the Kubernetes Secret; it must exist (e.g. created by your chart). */
  readonly namespace: string;

  /** Name of the Kubernetes Secret that External Secrets Operator creates and owns. */
  readonly name: string;

  /**
   * Kubernetes Secret key to JSON property of the secret value, e.g. `{ rootUser: 'username' }`.
   * @default - every top-level JSON property of the secret value becomes a key
   */
  readonly keys?: Record<string, string>;

  /**
   * How often the operator re-reads the secret, so rotations reach the cluster.
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
}

/** A sync as the cluster itself asks for it: also a plain-text secret copied whole into one key. */
export interface SyncSpec extends SyncSecretOptions {
  /** Kubernetes Secret key that receives the whole secret value, for a secret that is not JSON. */
  readonly wholeValueKey?: string;
}

/** Props of {@link ExternalSecretsOperator}. */
export interface ExternalSecretsOperatorProps {
  readonly cluster: eks.ICluster;
  readonly chartVersion: string;
}

/**
 * External Secrets Operator from its pinned Helm chart. Its controller reads Secrets Manager with a
 * Pod Identity role that is granted each synced secret and nothing else.
 */
export class ExternalSecretsOperator extends IdentifiedHelmRelease {
  private readonly cluster: eks.ICluster;

  constructor(scope: Construct, id: string, props: ExternalSecretsOperatorProps) {
    super(scope, id, {
      cluster: props.cluster,
      repository: 'https://charts.external-secrets.io',
      chart: 'external-secrets',
      version: props.chartVersion,
      release: SERVICE_ACCOUNT,
      namespace: NAMESPACE,
      timeout: Duration.minutes(10),
      values: {
        installCRDs: true,
        serviceAccount: { create: true, name: SERVICE_ACCOUNT },
      },
    });
    this.cluster = props.cluster;
  }

  /** Grants the operator read access to the secret and applies a SecretStore and ExternalSecret for it. */
  public sync(scope: Construct, id: string, options: SyncSpec): eks.KubernetesManifest {
    checkDnsLabel('namespace', options.namespace);
    checkDnsLabel('name', options.name);
    const keys = Object.entries(options.keys ?? {});
    if (options.keys && keys.length === 0) {
      throw new Error("'keys' must map at least one Kubernetes key to a JSON property, got {}; omit it to copy every property");
    }
    options.secret.grantRead(this.identity);
    const store = `${options.name}-aws`;
    const remoteKey = options.secret.secretArn;
    const manifest = new eks.KubernetesManifest(scope, id, {
      cluster: this.cluster,
      manifest: [
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'SecretStore',
          metadata: { name: store, namespace: options.namespace },
          // No auth block: the controller uses its own Pod Identity credentials.
          spec: { provider: { aws: { service: 'SecretsManager', region: Stack.of(this).region } } },
        },
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { name: options.name, namespace: options.namespace },
          spec: {
            refreshInterval: `${(options.refreshInterval ?? Duration.hours(1)).toSeconds()}s`,
            secretStoreRef: { kind: 'SecretStore', name: store },
            target: { name: options.name, creationPolicy: 'Owner' },
            ...(options.wholeValueKey
              ? { data: [{ secretKey: options.wholeValueKey, remoteRef: { key: remoteKey } }] }
              : keys.length > 0
                ? { data: keys.map(([secretKey, property]) => ({ secretKey, remoteRef: { key: remoteKey, property } })) }
                : { dataFrom: [{ extract: { key: remoteKey } }] }),
          },
        },
      ],
    });
    // The CRDs come with the chart; the read grant must exist before the first refresh.
    manifest.node.addDependency(this.chart, this.identity);
    return manifest;
  }
}
