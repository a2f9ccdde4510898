/** Synthesizes an S3www and checks every object: Kubernetes schema and the restricted profile. */
import { App, Chart } from 'cdk8s';
import { expectSchemaValid } from '../../../../tools/testing/kubernetes';
import { expectRestricted } from '../../../../tools/testing/pod-security';
import { NetworkPeer, S3www, S3wwwProps } from '../../src';

export type Obj = Record<string, any>;

export const MINIO = NetworkPeer.pods({ 'app.kubernetes.io/name': 'minio' }, 'storage');

export const MINIO_BACKEND = {
  bucket: 'site',
  endpoint: 'http://minio.storage.svc.cluster.local:9000',
  credentials: { secretName: 'minio-site' },
  peers: [MINIO],
};

export interface Synthesized {
  readonly s3www: S3www;
  readonly objects: Obj[];
  /** The one object of a kind (and name suffix); fails when there is not exactly one. */
  one(kind: string, nameSuffix?: string): Obj;
  kinds(): string[];
}

export function synth(props: Partial<S3wwwProps> = {}, options: { namespace?: string; after?: (s: S3www) => void } = {}): Synthesized {
  const chart = new Chart(new App(), 'test', { namespace: options.namespace });
  const s3www = new S3www(chart, 'S3www', { name: 'web', backend: MINIO_BACKEND, ...props });
  options.after?.(s3www);
  const objects = chart.toJson();
  expectSchemaValid(objects);
  expectRestricted(objects);
  return {
    s3www,
    objects,
    one(kind, nameSuffix) {
      const found = objects.filter((o) => o.kind === kind && (nameSuffix === undefined || o.metadata.name.endsWith(nameSuffix)));
      if (found.length !== 1) throw new Error(`expected one ${kind}${nameSuffix ? ` named *${nameSuffix}` : ''}, found ${found.length}`);
      return found[0];
    },
    kinds: () => objects.map((o) => o.kind).sort(),
  };
}

/** The pod spec of a Deployment or Job. */
export function podSpec(obj: Obj): Obj {
  return obj.spec.template.spec;
}
