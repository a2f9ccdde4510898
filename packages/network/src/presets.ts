import { EksEndpoints } from './endpoints';
import type { NetworkProps } from './network';

/**
 * Named network scenarios, so the common cases take one line. A preset only fills the props
 * you leave unset: an explicit prop always wins over the preset, and the preset over the
 * construct's defaults.
 */
export enum NetworkPreset {
  /**
   * Cost-optimised development: `maxAzs: 2`, `natGateways: 1`, no interface endpoints.
   * One NAT gateway is a single point of failure for outbound traffic: when its AZ fails,
   * the private subnets of the other AZ lose their route to the internet.
   */
  DEVELOPMENT = 'DEVELOPMENT',

  /**
   * Highly available production: `maxAzs: 3`, one NAT gateway per AZ (so an AZ outage never
   * cuts the other AZs' outbound traffic), no interface endpoints. The same as no preset.
   */
  PRODUCTION = 'PRODUCTION',

  /**
   * Private nodes without NAT: `maxAzs: 3`, `natGateways: 0`, `interfaceEndpoints: EksEndpoints.ALL`.
   * Workloads reach AWS services only through VPC endpoints and the internet not at all, so
   * images must come from Amazon ECR (or a pull-through cache).
   */
  PRIVATE = 'PRIVATE',
}

const PRESETS: Record<NetworkPreset, NetworkProps> = {
  [NetworkPreset.DEVELOPMENT]: { maxAzs: 2, natGateways: 1, interfaceEndpoints: [] },
  // Stryker disable next-line ObjectLiteral: the same as the defaults, written out so that the three presets read side by side
  [NetworkPreset.PRODUCTION]: { maxAzs: 3, interfaceEndpoints: [] },
  [NetworkPreset.PRIVATE]: { maxAzs: 3, natGateways: 0, interfaceEndpoints: EksEndpoints.ALL },
};

/** The props with every unset field taken from the preset they name, if any. */
export function applyPreset(props: NetworkProps): NetworkProps {
  if (props.preset === undefined) return props;
  const preset = PRESETS[props.preset];
  if (preset === undefined) {
    throw new Error(`'preset' must be one of ${Object.keys(PRESETS).join(', ')}, got '${props.preset}'`);
  }
  const explicit = Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined));
  return { ...preset, ...explicit };
}
