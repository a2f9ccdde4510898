export type { Bucket, BucketJobOptions } from './bucket-job';
export type { MinioCredentials } from './credentials';
export type { ImageOptions } from './image';
export { MetricsAuth } from './metrics';
export type { MetricsOptions, SecretKeyReference, ServiceMonitorOptions } from './metrics';
export { Minio } from './minio';
export type { ConsoleOptions, MinioProps, StorageOptions } from './minio';
export { MinioTopology, PlacementPolicy } from './topology';
export type { DistributedOptions } from './topology';
