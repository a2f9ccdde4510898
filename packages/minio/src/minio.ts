import { Construct } from 'constructs';

/** Properties of a {@link Minio}. */
export interface MinioProps {
  /**
   * Namespace of the objects.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/** Work in progress. */
export class Minio extends Construct {
  /** Namespace of the objects, if set. */
  public readonly namespace?: string;

  constructor(scope: Construct, id: string, props: MinioProps = {}) {
    super(scope, id);
    this.namespace = props.namespace;
  }
}
