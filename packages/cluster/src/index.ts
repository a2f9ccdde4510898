export * from './addons';
export * from './capacity';
export * from './cluster';
export * from './external-secrets';
export * from './pod-identity';
