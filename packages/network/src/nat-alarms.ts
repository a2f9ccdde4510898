import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Options of the CloudWatch alarms on the NAT gateways of a {@link Network}. */
export interface NatGatewayAlarmsOptions {
  /** The SNS topic the alarms notify when they fire and when they recover. */
  readonly topic: sns.ITopic;

  /**
   * Prefix of the alarm names, e.g. the cluster name: `<prefix>-NatGatewayPortAllocation-<zone>`.
   * @default - CloudFormation generates the names
   */
  readonly alarmNamePrefix?: string;

  /**
   * Share of packets, in percent (0.001 to 100), a NAT gateway may drop in a minute before
   * `NatGatewayPacketsDropped` fires; AWS recommends alarming above 0.01%.
   * @default 0.01
   */
  readonly packetDropPercent?: number;

  /**
   * Page the alarm descriptions point at; `#<alarm name in lowercase>` is appended.
   * @default 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md'
   */
  readonly runbookBaseUrl?: string;
}

/** Checks the options before anything is created. */
export function checkNatGatewayAlarmsOptions(options: NatGatewayAlarmsOptions, natGateways: number): void {
  if (natGateways === 0) {
    throw new Error("'addNatGatewayAlarms' needs NAT gateways: this network has 'natGateways' 0 and routes nothing through a NAT gateway");
  }
  const percent = options.packetDropPercent ?? 0.01;
  if (!(percent >= 0.001 && percent <= 100)) {
    throw new Error(`'packetDropPercent' must be a percentage between 0.001 and 100, got ${percent}`);
  }
  const prefix = options.alarmNamePrefix;
  if (prefix !== undefined && !Token.isUnresolved(prefix) && !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/.test(prefix)) {
    throw new Error(`'alarmNamePrefix' must be 1-200 letters, digits, '_', '.' and '-', got '${prefix}'`);
  }
  const url = options.runbookBaseUrl;
  if (url !== undefined && !Token.isUnresolved(url) && !/^https?:\/\/[^\s#]+$/.test(url)) {
    throw new Error(`'runbookBaseUrl' must be an http(s) URL without a fragment, got '${url}'`);
  }
}

/**
 * Two alarms per NAT gateway: `NatGatewayPortAllocation` (any `ErrorPortAllocation` in a minute: the
 * gateway ran out of source ports for a destination) and `NatGatewayPacketsDropped` (`PacketsDropCount`
 * above the share of the packets it handled). Both return to OK after 5 minutes without a breach.
 */
export function addNatGatewayAlarms(scope: Construct, gateways: ec2.GatewayConfig[], options: NatGatewayAlarmsOptions): cloudwatch.Alarm[] {
  const percent = options.packetDropPercent ?? 0.01;
  const runbook = options.runbookBaseUrl ?? 'https://github.com/s3www-eks/s3www-eks/blob/main/docs/operations.md';
  const action = new actions.SnsAction(options.topic);
  return gateways.flatMap((gateway, i) => {
    const zone = Token.isUnresolved(gateway.az) ? `${i + 1}` : gateway.az;
    const metric = (metricName: string) => new cloudwatch.Metric({
      namespace: 'AWS/NATGateway',
      metricName,
      dimensionsMap: { NatGatewayId: gateway.gatewayId },
      statistic: 'Sum',
      period: Duration.minutes(1),
    });
    const alarm = (id: string, description: string, props: Pick<cloudwatch.AlarmProps, 'metric' | 'threshold' | 'comparisonOperator'>) => {
      const created = new cloudwatch.Alarm(scope, `${id}${i + 1}`, {
        ...props,
        alarmName: options.alarmNamePrefix ? `${options.alarmNamePrefix}-${id}-${zone}` : undefined,
        alarmDescription: `${description} Runbook: ${runbook}#${id.toLowerCase()}`,
        // One breaching minute fires; five clean minutes clear it.
        evaluationPeriods: 5,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      return created;
    };
    return [
      alarm('NatGatewayPortAllocation', `The NAT gateway in ${zone} could not allocate a source port: connections from the private subnets to one destination fail.`, {
        metric: metric('ErrorPortAllocation'),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
      alarm('NatGatewayPacketsDropped', `The NAT gateway in ${zone} dropped more than ${percent}% of its packets in a minute.`, {
        metric: new cloudwatch.MathExpression({
          expression: 'IF(packets > 0, 100 * FILL(dropped, 0) / packets, 0)',
          usingMetrics: {
            dropped: metric('PacketsDropCount'),
            packets: new cloudwatch.MathExpression({
              expression: 'FILL(fromSource, 0) + FILL(fromDestination, 0)',
              usingMetrics: { fromSource: metric('PacketsInFromSource'), fromDestination: metric('PacketsInFromDestination') },
              period: Duration.minutes(1),
            }),
          },
          period: Duration.minutes(1),
          label: 'Packets dropped (%)',
        }),
        threshold: percent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    ];
  });
}
