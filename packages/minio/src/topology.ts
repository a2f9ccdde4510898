import { checkInteger, resolveMaxUnavailable } from '@s3www-eks/cdk8s-common';

/** How hard the scheduler must try to keep MinIO pods apart. */
export enum PlacementPolicy {
  /** Never place two pods in the same domain; a pod stays Pending when no domain is free. */
  REQUIRED = 'REQUIRED',
  /** Spread pods when the cluster allows it, and co-locate them rather than not run them. */
  PREFERRED = 'PREFERRED',
}

/** Options of {@link MinioTopology.distributed}. */
export interface DistributedOptions {
  /**
   * Number of MinIO pods (servers). Changing it later creates a new erasure-coded layout that
   * MinIO refuses to start on existing data: size the cluster once, add server pools to grow.
   */
  readonly replicas: number;

  /**
   * Volumes (drives) per pod, each a PersistentVolumeClaim of its own.
   * `replicas` × `drivesPerReplica` must be at least 4 and divisible by an erasure-set size
   * between 2 and 16.
   * @default 1
   */
  readonly drivesPerReplica?: number;

  /**
   * Spread of pods across zones (`topology.kubernetes.io/zone`), through a topology spread
   * constraint with a maximum skew of 1. `PREFERRED` also works on clusters whose nodes carry no
   * zone label; choose `REQUIRED` on a multi-zone cluster to make the spread a guarantee.
   * @default PlacementPolicy.PREFERRED
   */
  readonly zoneSpread?: PlacementPolicy;

  /**
   * Spread of pods across nodes (`kubernetes.io/hostname`), through pod anti-affinity. Two MinIO
   * pods on one node share its failure, which erasure coding does not expect.
   * @default PlacementPolicy.REQUIRED
   */
  readonly nodeSpread?: PlacementPolicy;

  /**
   * Pods a voluntary disruption (drain, upgrade) may take down at once, enforced by a
   * PodDisruptionBudget; below `replicas`, so that a drain never takes them all. Each pod down
   * costs `drivesPerReplica` drives of the erasure sets.
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/**
 * The shape of a MinIO deployment: one standalone pod, or a distributed cluster of pods with
 * erasure coding across their drives.
 */
export class MinioTopology {
  /**
   * One pod with one drive: for development, CI and small internal workloads. No erasure
   * coding and no redundancy beyond what the volume offers.
   */
  public static standalone(): MinioTopology {
    return new MinioTopology(1, 1, false, PlacementPolicy.PREFERRED, PlacementPolicy.REQUIRED, 0);
  }

  /**
   * Several pods with erasure coding across all their drives: survives the loss of pods,
   * nodes or (with `zoneSpread`) zones, up to the parity of the erasure sets.
   */
  public static distributed(options: DistributedOptions): MinioTopology {
    const drives = options.drivesPerReplica ?? 1;
    checkInteger('replicas', options.replicas, 2);
    checkInteger('drivesPerReplica', drives, 1);
    const total = options.replicas * drives;
    if (total < 4) {
      throw new Error(`distributed mode needs at least 4 drives in total ('replicas' × 'drivesPerReplica'), got ${options.replicas} × ${drives} = ${total}`);
    }
    if (!erasureSetSizes(total).length) {
      throw new Error(`'replicas' × 'drivesPerReplica' must be divisible by an erasure-set size between 2 and 16, got ${options.replicas} × ${drives} = ${total}`);
    }
    const maxUnavailable = resolveMaxUnavailable('maxUnavailable', options.maxUnavailable, options.replicas, 'replicas')!;
    return new MinioTopology(options.replicas, drives, true,
      options.zoneSpread ?? PlacementPolicy.PREFERRED, options.nodeSpread ?? PlacementPolicy.REQUIRED, maxUnavailable);
  }

  private constructor(
    /** Number of MinIO pods. */
    public readonly replicas: number,
    /** Drives (PersistentVolumeClaims) per pod. */
    public readonly drivesPerReplica: number,
    /** True for a distributed (erasure-coded, multi-pod) deployment. */
    public readonly isDistributed: boolean,
    /** Spread of pods across zones. */
    public readonly zoneSpread: PlacementPolicy,
    /** Spread of pods across nodes. */
    public readonly nodeSpread: PlacementPolicy,
    /** Pods a voluntary disruption may take down at once (0 when standalone: no budget). */
    public readonly maxUnavailable: number,
  ) {}

  /** Drives in the whole deployment. */
  public get totalDrives(): number {
    return this.replicas * this.drivesPerReplica;
  }
}

/** Erasure-set sizes MinIO can use for a pool of `drives` drives (it needs one). */
export function erasureSetSizes(drives: number): number[] {
  const sizes: number[] = [];
  for (let size = 2; size <= 16; size++) {
    if (drives % size === 0) sizes.push(size);
  }
  return sizes;
}
