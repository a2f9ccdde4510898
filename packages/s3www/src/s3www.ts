import { Construct } from 'constructs';

/** Properties of a {@link S3www}. */
export interface S3wwwProps {
  /**
   * Namespace of the objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/** Work in progress. */
export class S3www extends Construct {
  /** Namespace of the objects, if set. */
  public readonly namespace?: string;

  constructor(scope: Construct, id: string, props: S3wwwProps = {}) {
    super(scope, id);
    this.namespace = props.namespace;
  }
}
