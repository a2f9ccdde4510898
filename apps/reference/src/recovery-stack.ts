import { RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of a {@link RecoveryVaultStack}. */
export interface RecoveryVaultStackProps extends StackProps {
  /** The cluster whose recovery points are copied here; names the vault `<clusterName>-dr`. */
  readonly clusterName: string;
}

/**
 * The disaster recovery region's side of the backup copy: an AWS Backup vault encrypted by a KMS key
 * of that region, both kept when the stack is deleted. The primary stack's backup plan copies every
 * recovery point here; a rebuilt environment in this region restores its volumes from it.
 */
export class RecoveryVaultStack extends Stack {
  /** Name of the vault of a cluster. */
  public static vaultName(clusterName: string): string {
    return `${clusterName}-dr`;
  }

  /** The vault the recovery points are copied to. */
  public readonly vault: backup.BackupVault;

  /** The key of the vault, in this region. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: RecoveryVaultStackProps) {
    super(scope, id, props);
    this.key = new kms.Key(this, 'VaultKey', {
      description: `AWS Backup copies of the EKS cluster ${props.clusterName} volumes (disaster recovery)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: RecoveryVaultStack.vaultName(props.clusterName),
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
