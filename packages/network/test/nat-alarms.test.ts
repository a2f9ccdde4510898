import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { nagApp, nagErrors } from '../../../tools/testing/cloudformation';
import { Network, NetworkPreset } from '../src';
import { expectAllLintClean, synth, testStack } from './util';

type Json = Record<string, any>;

const RUNBOOK = 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:alerts';

/** A network with its NAT gateway alarms, and its template. */
function withAlarms(options: Partial<Parameters<Network['addNatGatewayAlarms']>[1]> = {}, preset?: NetworkPreset) {
  const stack = testStack();
  const net = new Network(stack, 'Network', { preset });
  const topic = sns.Topic.fromTopicArn(stack, 'Alerts', TOPIC);
  const alarms = net.addNatGatewayAlarms('NatAlarms', { topic, ...options });
  return { alarms, template: synth(stack) };
}

describe('NAT gateway alarms', () => {
  // GIVEN / WHEN: three NAT gateways, one per AZ
  const { alarms, template } = withAlarms({ alarmNamePrefix: 'web-prod' });
  const all = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
  const gateways = Object.keys(template.findResources('AWS::EC2::NatGateway'));

  test('two alarms per NAT gateway, named after the prefix and the zone, to the topic on ALARM and OK', () => {
    expect(alarms).toHaveLength(6);
    expect(all.map((a) => a.AlarmName).sort()).toEqual([
      'web-prod-NatGatewayPacketsDropped-dummy1a', 'web-prod-NatGatewayPacketsDropped-dummy1b', 'web-prod-NatGatewayPacketsDropped-dummy1c',
      'web-prod-NatGatewayPortAllocation-dummy1a', 'web-prod-NatGatewayPortAllocation-dummy1b', 'web-prod-NatGatewayPortAllocation-dummy1c',
    ]);
    for (const alarm of all) {
      expect(alarm.AlarmActions).toEqual([TOPIC]);
      expect(alarm.OKActions).toEqual([TOPIC]);
      expect(alarm.AlarmDescription).toMatch(new RegExp(` Runbook: ${RUNBOOK}#natgateway(portallocation|packetsdropped)$`));
      // one breaching minute fires, five clean minutes clear
      expect(alarm).toMatchObject({ EvaluationPeriods: 5, DatapointsToAlarm: 1, TreatMissingData: 'notBreaching' });
    }
  });

  test('each alarm names its zone and what failed, and has a construct id per gateway', () => {
    expect(all.map((a) => a.AlarmDescription.replace(/ Runbook: .*$/, '')).sort()).toEqual(['a', 'b', 'c'].flatMap((z) => [
      `The NAT gateway in dummy1${z} could not allocate a source port: connections from the private subnets to one destination fail.`,
      `The NAT gateway in dummy1${z} dropped more than 0.01% of its packets in a minute.`,
    ]).sort());
    expect(alarms.map((a) => a.node.id)).toEqual([1, 2, 3].flatMap((n) => [`NatGatewayPortAllocation${n}`, `NatGatewayPacketsDropped${n}`]));
  });

  test('in a stack without account and region the zones are tokens, so the alarms number them', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const alarmsOf = new Network(stack, 'Network').addNatGatewayAlarms('NatAlarms', {
      topic: sns.Topic.fromTopicArn(stack, 'Alerts', TOPIC),
      alarmNamePrefix: 'web',
    });
    const props = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
    expect(alarmsOf).toHaveLength(4);
    expect(props.map((a) => a.AlarmName).sort()).toEqual(['web-NatGatewayPacketsDropped-1', 'web-NatGatewayPacketsDropped-2', 'web-NatGatewayPortAllocation-1', 'web-NatGatewayPortAllocation-2']);
    expect(props.map((a) => a.AlarmDescription)).toContainEqual(expect.stringMatching(/^The NAT gateway in 2 dropped more than/));
  });

  test('NatGatewayPortAllocation: any ErrorPortAllocation of its gateway in a minute', () => {
    const ports = all.filter((a) => a.MetricName === 'ErrorPortAllocation');
    expect(ports.map((a) => a.Dimensions)).toEqual(gateways.map((id) => [{ Name: 'NatGatewayId', Value: { Ref: id } }]));
    for (const alarm of ports) {
      expect(alarm).toMatchObject({ Namespace: 'AWS/NATGateway', Statistic: 'Sum', Period: 60, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
  });

  test('NatGatewayPacketsDropped: dropped packets above 0.01% of the packets the gateway received in a minute', () => {
    const dropped = all.filter((a) => a.Metrics);
    expect(dropped).toHaveLength(3);
    const [first] = dropped;
    const byId = Object.fromEntries(first.Metrics.map((m: Json) => [m.Id, m.Expression ?? `${m.MetricStat.Metric.MetricName}/${m.MetricStat.Stat}/${m.MetricStat.Period}`]));
    expect(byId).toEqual({
      expr_1: 'IF(packets > 0, 100 * FILL(dropped, 0) / packets, 0)',
      dropped: 'PacketsDropCount/Sum/60',
      packets: 'FILL(fromSource, 0) + FILL(fromDestination, 0)',
      fromSource: 'PacketsInFromSource/Sum/60',
      fromDestination: 'PacketsInFromDestination/Sum/60',
    });
    expect(first.Metrics.every((m: Json) => !m.MetricStat || m.MetricStat.Metric.Dimensions[0].Value.Ref === gateways[0])).toBe(true);
    expect(first).toMatchObject({ Threshold: 0.01, ComparisonOperator: 'GreaterThanThreshold' });
    // What the console's graph of the alarm calls the value it compares.
    expect(first.Metrics.find((m: Json) => m.Id === 'expr_1')).toMatchObject({ Label: 'Packets dropped (%)', ReturnData: true });
  });

  test('one NAT gateway (development): two alarms; without a prefix CloudFormation names them', () => {
    const dev = withAlarms({ packetDropPercent: 0.5, runbookBaseUrl: 'https://wiki.example.com/net' }, NetworkPreset.DEVELOPMENT);
    const props = Object.values(dev.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties as Json);
    expect(dev.alarms).toHaveLength(2);
    expect(props.map((a) => a.AlarmName)).toEqual([undefined, undefined]);
    expect(props.find((a) => a.Metrics)!.Threshold).toBe(0.5);
    expect(props[0].AlarmDescription).toMatch(/ Runbook: https:\/\/wiki\.example\.com\/net#natgatewayportallocation$/);
    expect(dev.alarms[0]).toBeInstanceOf(cloudwatch.Alarm);
  });

  test('cdk-nag AwsSolutions has nothing to say about the alarms', () => {
    const app = nagApp();
    const stack = testStack(app);
    new Network(stack, 'Network').addNatGatewayAlarms('NatAlarms', { topic: sns.Topic.fromTopicArn(stack, 'Alerts', TOPIC) });
    expect(nagErrors(app)).toEqual([]);
  });

  test('every template passes cfn-lint', () => {
    expectAllLintClean();
  });
});

describe('validation', () => {
  const topic = () => sns.Topic.fromTopicArn(testStack(), 'Alerts', TOPIC);
  test('no NAT gateway, no NAT gateway alarm', () => {
    const net = new Network(testStack(), 'Network', { preset: NetworkPreset.PRIVATE });
    expect(() => net.addNatGatewayAlarms('NatAlarms', { topic: topic() }))
      .toThrow("'addNatGatewayAlarms' needs NAT gateways: this network has 'natGateways' 0 and routes nothing through a NAT gateway");
  });

  test.each([
    [{ packetDropPercent: 0 }, "'packetDropPercent' must be a percentage between 0.001 and 100, got 0"],
    [{ packetDropPercent: 101 }, "'packetDropPercent' must be a percentage between 0.001 and 100, got 101"],
    [{ alarmNamePrefix: 'web prod' }, "'alarmNamePrefix' must be 1-200 letters, digits, '_', '.' and '-', got 'web prod'"],
    [{ runbookBaseUrl: 'wiki.example.com/net' }, "'runbookBaseUrl' must be an http(s) URL without a fragment, got 'wiki.example.com/net'"],
  ])('rejects %j', (options, message) => {
    expect(() => withAlarms(options)).toThrow(message);
  });

  test.each(['see https://wiki.example.com/net', 'https://wiki.example.com/net page', 'https://wiki.example.com/net#top', 'ftp://wiki.example.com/net'])(
    'runbookBaseUrl %p is refused', (runbookBaseUrl) => {
      expect(() => withAlarms({ runbookBaseUrl })).toThrow(`'runbookBaseUrl' must be an http(s) URL without a fragment, got '${runbookBaseUrl}'`);
    });

  test.each([
    { packetDropPercent: 0.001 },
    { packetDropPercent: 100 },
    { runbookBaseUrl: 'http://wiki.internal/net' },
    { alarmNamePrefix: 'a' },
    { alarmNamePrefix: `A1_.-${'x'.repeat(194)}` },
  ])('takes %j, at an edge of what is allowed', (options) => {
    expect(withAlarms(options).alarms).toHaveLength(6);
  });
});
