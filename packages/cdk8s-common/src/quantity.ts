/**
 * Kubernetes resource quantities ("250m", "1Gi", "1e3"). cdk8s renders `Size` and `Cpu` values
 * from plain numbers, so `Size.gibibytes(NaN)` or `Cpu.millis(-1)` reach the manifest as "NaNGi"
 * and "-1m"; the API server would reject them at apply time. The rendered text is parsed with the
 * grammar of k8s.io/apimachinery's resource.Quantity, and the amount must be positive.
 */
import { fail } from './validation';

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The value of a quantity in base units (bytes, cores), or undefined when malformed. */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, number, suffix] = match;
  const scale = suffix === undefined ? 1 : /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix];
  return Number(number) * scale;
}

/** Parses a quantity that must be greater than zero; the error names the prop. */
export function positiveQuantity(prop: string, text: string): number {
  const value = parseQuantity(text);
  if (value === undefined) {
    fail(prop, 'must be a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi', text);
  }
  if (!(value > 0)) {
    fail(prop, 'must be greater than zero', text);
  }
  return value;
}
