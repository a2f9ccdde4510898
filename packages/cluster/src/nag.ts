import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * cdk-nag 3 acknowledgements: one per exact finding id (e.g. `AwsSolutions-IAM5[Resource::*]`), so a
 * permission added later is still reported. The finding ids are computed the way cdk-nag computes them.
 */

/** Flattens a resolved CloudFormation reference the way cdk-nag names findings. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
  const obj = node as Record<string, any>;
  if (obj['Fn::Join']) {
    const [delimiter, items] = obj['Fn::Join'];
    return (items as unknown[]).map(flatten).join(delimiter);
  }
  if (obj['Fn::Sub']) return flatten(obj['Fn::Sub']);
  if (obj['Fn::GetAtt']) return `<${flatten(obj['Fn::GetAtt'][0])}.${flatten(obj['Fn::GetAtt'][1])}>`;
  if (obj['Fn::ImportValue']) return flatten(obj['Fn::ImportValue']);
  if (obj.Ref) return `<${flatten(obj.Ref)}>`;
  return JSON.stringify(node);
}

/** Acknowledges exact finding ids on a construct and everything below it. */
export function acknowledge(scope: IConstruct, reason: string, ...ids: string[]): void {
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })));
}

/** Acknowledges AwsSolutions-IAM4 for each AWS managed policy the role has now. */
export function acknowledgeManagedPolicies(role: iam.IRole, reason: string): void {
  const cfnRole = role.node.defaultChild as iam.CfnRole | undefined;
  if (!cfnRole) return;
  const stack = Stack.of(role);
  const arns = (stack.resolve(cfnRole.managedPolicyArns) ?? []) as unknown[];
  const ids = arns.map((arn) => flatten(stack.resolve(arn)))
    .filter((arn) => arn.includes(':iam::aws:'))
    .map((arn) => `AwsSolutions-IAM4[Policy::${arn}]`);
  acknowledge(role, reason, ...ids);
}

/**
 * Acknowledges AwsSolutions-IAM5 for each wildcard action and resource the role's policies (its default
 * policy, found by type below the role) have now, on each policy.
 */
export function acknowledgeWildcards(role: iam.IRole, reason: string): void {
  const policies = role.node.findAll().filter((c): c is iam.Policy => c instanceof iam.Policy);
  const list = (value: unknown) => (Array.isArray(value) ? value : [value]);
  for (const policy of policies) {
    const document = Stack.of(role).resolve(policy.document.toJSON()) as { Statement?: Array<Record<string, unknown>> };
    const ids = new Set<string>();
    for (const statement of document.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      list(statement.Action).filter((a) => String(a).includes('*')).forEach((a) => ids.add(`AwsSolutions-IAM5[Action::${a}]`));
      list(statement.Resource).map(flatten).filter((r) => r.includes('*')).forEach((r) => ids.add(`AwsSolutions-IAM5[Resource::${r}]`));
    }
    if (ids.size > 0) acknowledge(policy, reason, ...ids);
  }
}
