export { S3www, S3wwwProps } from './s3www';
export { BackendCredentials, S3wwwBackend, WorkloadIdentity } from './backend';
export { NetworkPeer } from './network-peer';
export { CorsOptions } from './cors';
export { AlbIngressOptions, LoadBalancerOptions, LoadBalancerScheme } from './exposure';
export { AutoscalingOptions } from './autoscaling';
export { SpreadPolicy, TopologySpreadOptions } from './topology';
export { SeedSource } from './seed-source';
export { SeedOptions } from './seeder-job';
