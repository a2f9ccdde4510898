import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { expectCfnLintClean } from '../../../tools/testing/cloudformation';
import { Network, NetworkProps } from '../src';

/** A pinned account and region, so the VPC gets three (dummy) AZs like a real deployment. */
export const ENV = { account: '111111111111', region: 'us-east-1' };

/** A stack in {@link ENV}. */
export function testStack(app: App = new App(), id = 'Test'): Stack {
  return new Stack(app, id, { env: ENV });
}

const synthesized: Record<string, unknown> = {};

/** The stack's template, remembered for {@link expectAllLintClean}. */
export function synth(stack: Stack): Template {
  const template = Template.fromStack(stack);
  const name = `${expect.getState().currentTestName ?? stack.stackName}-${Object.keys(synthesized).length}`;
  synthesized[name] = template.toJSON();
  return template;
}

/** A Network in a fresh test stack, and its template. */
export function network(props: NetworkProps = {}): { stack: Stack; network: Network; template: Template } {
  const stack = testStack();
  const created = new Network(stack, 'Network', props);
  return { stack, network: created, template: synth(stack) };
}

/** Runs the real cfn-lint once over every template this test file synthesized. */
export function expectAllLintClean(): void {
  expect(Object.keys(synthesized).length).toBeGreaterThan(0);
  expectCfnLintClean(synthesized);
}

/** Resources of a type in the template, as an array of their Properties. */
export function propertiesOf(template: Template, type: string): Array<Record<string, any>> {
  return Object.values(template.findResources(type)).map((r) => r.Properties ?? {});
}

/** The tags of a resource's Properties as a key-to-value map. */
export function tagsOf(properties: Record<string, any>): Record<string, string> {
  return Object.fromEntries((properties.Tags ?? []).map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
}
