import { IConstruct } from 'constructs';

/**
 * The value of `-c <key>=...` as a trimmed string; undefined when absent, null (as `cdk.json` may hold
 * it) or blank, so that `-c key=` and `-c key=" "` mean "not given".
 */
export function contextValue(scope: IConstruct, key: string): string | undefined {
  const raw = scope.node.tryGetContext(key);
  if (raw === undefined || raw === null) return undefined;
  const value = String(raw).trim();
  return value === '' ? undefined : value;
}
