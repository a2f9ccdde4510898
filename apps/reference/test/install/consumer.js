// A consumer of the published libraries: a small stack and a small chart built with each of them.
// Run inside the temporary project of test/install-from-npm.test.ts; prints what it synthesized.
const { App, Stack } = require('aws-cdk-lib');
const cdk8s = require('cdk8s');
const { NetworkPolicyIpBlock } = require('cdk8s-plus-33');
const { Network, NetworkPreset } = require('@s3www-eks/network');
const { Capacity, Cluster } = require('@s3www-eks/cluster');
const { Minio } = require('@s3www-eks/minio');
const { S3www, Seeder } = require('@s3www-eks/s3www');

const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Consumer', { env: { account: '123456789012', region: 'us-east-1' } });
const network = new Network(stack, 'Network', { preset: NetworkPreset.DEVELOPMENT, clusterName: 'consumer' });
const cluster = new Cluster(stack, 'Cluster', {
  vpc: network.vpc,
  clusterName: 'consumer',
  capacity: Capacity.nodeGroups({ name: 'general', minSize: 2, maxSize: 3 }),
});

const k8sApp = new cdk8s.App({ outdir: 'dist' });
const chart = new cdk8s.Chart(k8sApp, 'site', { namespace: 'site' });
const minio = new Minio(chart, 'Minio', { credentials: { secretName: 'minio-root' }, buckets: [{ name: 'site' }] });
// A MinIO user each, never root: the site reads, the seeder writes.
const reader = minio.grantRead('Site', { bucket: 'site', credentials: { secretName: 'site-reader' } });
const writer = minio.grantReadWrite('Seeder', { bucket: 'site', credentials: { secretName: 'site-writer' } });
const backend = (user) => ({ bucket: user.bucket, endpoint: minio.endpoint, credentials: user.credentials });
const seeder = new Seeder(chart, 'Seeder', { backend: backend(writer), sources: [{ url: 'https://media.giphy.com/media/VdiQKDAguhDSi37gn1/giphy.gif' }] });
const site = new S3www(chart, 'S3www', { backend: backend(reader), ingress: {} });
minio.allowFrom(seeder);
minio.allowFrom(site);
site.allowFrom(NetworkPolicyIpBlock.ipv4(chart, 'Vpc', '10.0.0.0/16'));
const objects = chart.toJson();
cluster.addChart('Site', chart);

const template = app.synth().getStackByName('Consumer').template;
console.log(JSON.stringify({
  stack: { resourceTypes: [...new Set(Object.values(template.Resources).map((r) => r.Type))].sort() },
  chart: { kinds: objects.map((o) => o.kind).sort() },
}));
