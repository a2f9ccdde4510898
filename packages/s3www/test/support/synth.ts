/** Synthesizes an S3www or a Seeder and checks every object: Kubernetes schema and the restricted profile. */
import { App, Chart } from 'cdk8s';
import { IPodSelector, Namespaces, NetworkPolicy, NetworkPolicyPort, Pods } from 'cdk8s-plus-33';
import { expectSchemaValid } from '../../../../tools/testing/kubernetes';
import { expectRestricted } from '../../../../tools/testing/pod-security';
import { S3www, S3wwwProps, Seeder, SeederProps } from '../../src';

export type Obj = Record<string, any>;

export const MINIO_BACKEND = {
  bucket: 'site',
  endpoint: 'http://minio.storage.svc.cluster.local:9000',
  credentials: { secretName: 'minio-site' },
};

/**
 * What a MinIO's `allowFrom(pods)` writes on the client's side, in a chart of its own (so that it is
 * not among the objects under test): the pods may reach the MinIO pods of namespace `storage` on 9000.
 */
export function admitToMinio(app: App, pods: IPodSelector): NetworkPolicy {
  const chart = new Chart(app, `backend-${pods.node.addr}`);
  const policy = new NetworkPolicy(chart, 'ClientEgress', { selector: pods });
  const minio = Pods.select(chart, 'Minio', { labels: { 'app.kubernetes.io/name': 'minio' }, namespaces: Namespaces.select(chart, 'Storage', { names: ['storage'] }) });
  policy.addEgressRule(minio, [NetworkPolicyPort.tcp(9000)]);
  return policy;
}

export interface Synthesized<T> {
  readonly construct: T;
  readonly objects: Obj[];
  /** The one object of a kind (and name suffix); fails when there is not exactly one. */
  one(kind: string, nameSuffix?: string): Obj;
  kinds(): string[];
}

export interface SynthOptions<T> {
  readonly namespace?: string;
  /** Runs after the construct, before synthesis (e.g. allowFrom calls). */
  readonly after?: (construct: T) => void;
  /** Whether the backend admits the pods (as minio.allowFrom does); on by default. */
  readonly admitted?: boolean;
}

function synthesize<T extends S3www | Seeder>(make: (chart: Chart) => T, options: SynthOptions<T>): Synthesized<T> {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: options.namespace });
  const construct = make(chart);
  if (options.admitted ?? true) {
    // the construct, and any seeder the props brought along
    const clients = new Set<S3www | Seeder>([construct, ...chart.node.findAll().filter((c): c is Seeder => c instanceof Seeder)]);
    clients.forEach((client) => admitToMinio(app, client));
  }
  options.after?.(construct);
  const objects = chart.toJson();
  expectSchemaValid(objects);
  expectRestricted(objects);
  return {
    construct,
    objects,
    one(kind, nameSuffix) {
      const found = objects.filter((o) => o.kind === kind && (nameSuffix === undefined || o.metadata.name.endsWith(nameSuffix)));
      if (found.length !== 1) throw new Error(`expected one ${kind}${nameSuffix ? ` named *${nameSuffix}` : ''}, found ${found.length}`);
      return found[0];
    },
    kinds: () => objects.map((o) => o.kind).sort(),
  };
}

/** Props, or props made in the chart under test (for peers and seeders they name). */
export type PropsIn<P> = Partial<P> | ((chart: Chart) => Partial<P>);

/** An S3www named `web` on the MinIO backend, which admits it. */
export function synth(props: PropsIn<S3wwwProps> = {}, options: SynthOptions<S3www> = {}): Synthesized<S3www> & { s3www: S3www } {
  const result = synthesize((chart) => new S3www(chart, 'S3www', { name: 'web', backend: MINIO_BACKEND, ...(typeof props === 'function' ? props(chart) : props) }), options);
  return { ...result, s3www: result.construct };
}

/** A Seeder named `seed` of one source into the MinIO backend, which admits it. */
export function synthSeeder(props: PropsIn<SeederProps> = {}, options: SynthOptions<Seeder> = {}): Synthesized<Seeder> & { seeder: Seeder } {
  const result = synthesize((chart) => new Seeder(chart, 'Seeder', {
    name: 'seed', backend: MINIO_BACKEND, sources: [{ url: 'https://example.com/index.html' }], ...(typeof props === 'function' ? props(chart) : props),
  }), options);
  return { ...result, seeder: result.construct };
}

/** A seeder of the site's bucket, named `web-seed`, as the monitoring of an S3www names it. */
export function siteSeeder(chart: Chart): Seeder {
  return new Seeder(chart, 'Seeder', { name: 'web-seed', backend: MINIO_BACKEND, sources: [{ url: 'https://downloads.example.com/site/index.html' }] });
}

/** The pod spec of a Deployment or Job. */
export function podSpec(obj: Obj): Obj {
  return obj.spec.template.spec;
}

/** The error synthesis throws for a failed validation: cdk8s lists each construct's messages under its path. */
export function validationError(path: string, ...messages: string[]): Error {
  return new Error(`Validation failed with the following errors:\n${messages.map((m) => `  [${path}] ${m}`).join('\n')}`);
}
