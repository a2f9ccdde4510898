export { EksEndpoints } from './endpoints';
export { FlowLogOptions } from './flow-logs';
export { Network, NetworkProps } from './network';
export { NetworkPreset } from './presets';
