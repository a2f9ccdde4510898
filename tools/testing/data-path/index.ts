export * from './loopback';
export * from './processes';
export * from './source';
export * from './stack';
export * from './workload';
