import { MinioTopology, PlacementPolicy } from '../src';
import { expectError } from './helpers';
import { erasureSetSizes } from '../src/topology';

describe('MinioTopology', () => {
  test('standalone is one pod with one drive and no disruption budget', () => {
    const topology = MinioTopology.standalone();
    expect([topology.replicas, topology.drivesPerReplica, topology.totalDrives, topology.isDistributed, topology.maxUnavailable])
      .toEqual([1, 1, 1, false, 0]);
  });

  test('distributed defaults: one drive per pod, zones preferred, nodes required, one pod down at a time', () => {
    const topology = MinioTopology.distributed({ replicas: 4 });
    expect(topology.isDistributed).toBe(true);
    expect(topology.totalDrives).toBe(4);
    expect(topology.zoneSpread).toBe(PlacementPolicy.PREFERRED);
    expect(topology.nodeSpread).toBe(PlacementPolicy.REQUIRED);
    expect(topology.maxUnavailable).toBe(1);
  });

  test.each([
    [2, 2, 4], [4, 1, 4], [3, 2, 6], [4, 4, 16], [16, 1, 16], [8, 4, 32],
  ])('%i pods × %i drives = %i drives is a valid layout', (replicas, drivesPerReplica, total) => {
    expect(MinioTopology.distributed({ replicas, drivesPerReplica }).totalDrives).toBe(total);
  });

  test('erasure-set sizes are the divisors from 2 to 16', () => {
    expect(erasureSetSizes(12)).toEqual([2, 3, 4, 6, 12]);
    expect(erasureSetSizes(17)).toEqual([]);
  });

  describe('validation', () => {
    test.each([
      ['one pod', { replicas: 1 }, "'replicas' must be a whole number of at least 2, got 1"],
      ['a fractional pod count', { replicas: 2.5 }, "'replicas' must be a whole number of at least 2, got 2.5"],
      ['no drive', { replicas: 4, drivesPerReplica: 0 }, "'drivesPerReplica' must be a whole number of at least 1, got 0"],
      ['fewer than 4 drives', { replicas: 3 }, "distributed mode needs at least 4 drives in total ('replicas' × 'drivesPerReplica'), got 3 × 1 = 3"],
      ['2 pods with 1 drive', { replicas: 2, drivesPerReplica: 1 }, "distributed mode needs at least 4 drives in total ('replicas' × 'drivesPerReplica'), got 2 × 1 = 2"],
      ['a drive count no erasure set divides', { replicas: 17 }, "'replicas' × 'drivesPerReplica' must be divisible by an erasure-set size between 2 and 16, got 17 × 1 = 17"],
      ['a budget of no pod', { replicas: 4, maxUnavailable: 0 }, "'maxUnavailable' must be a whole number between 1 and 3, below the 4 pods of 'replicas', so that a drain never takes them all, got 0"],
      ['a budget of every pod', { replicas: 4, maxUnavailable: 4 }, "'maxUnavailable' must be a whole number between 1 and 3, below the 4 pods of 'replicas', so that a drain never takes them all, got 4"],
    ])('%s fails', (_case, options, message) => {
      expectError(() => MinioTopology.distributed(options), message);
    });
  });
});
