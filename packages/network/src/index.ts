export type { BastionOptions } from './bastion';
export { EksEndpoints } from './endpoints';
export type { FlowLogOptions } from './flow-logs';
export { Network } from './network';
export type { NetworkProps } from './network';
export { NetworkPreset } from './presets';
export type { NatGatewayAlarmsOptions } from './nat-alarms';
