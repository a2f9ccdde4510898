export * from './addons';
export * from './capacity';
export * from './cluster';
export { SyncSecretOptions } from './external-secrets';
export * from './pod-identity';
