import { Testing } from 'cdk8s';
import { Json } from './helpers';
import { expectSchemaValid } from '../../../tools/testing/kubernetes';
import { MinioServices } from '../src/services';

function synth(consoleName?: string): Json[] {
  const chart = Testing.chart();
  new MinioServices(chart, 'Services', {
    instance: 'minio', namespace: 'storage', apiName: 'minio', headlessName: 'minio-hl', consoleName, apiPort: 9000, consolePort: 9001,
  });
  const objects = Testing.synth(chart);
  expectSchemaValid(objects);
  return objects;
}

describe('services', () => {
  test('all select the server pods; none is exposed outside the cluster', () => {
    const objects = synth('minio-console');
    expect(objects.map((o) => o.metadata.name)).toEqual(['minio', 'minio-hl', 'minio-console']);
    for (const service of objects) {
      expect(service.spec.selector).toEqual({ 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'minio', 'app.kubernetes.io/component': 'server' });
      expect(['ClusterIP', undefined]).toContain(service.spec.type);
    }
  });

  test('each service has its own component label, so a ServiceMonitor can select the API alone', () => {
    expect(synth('minio-console').map((o) => o.metadata.labels['app.kubernetes.io/component'])).toEqual(['api', 'peers', 'console']);
  });

  test('no console name, no console service', () => {
    expect(synth().map((o) => o.metadata.name)).toEqual(['minio', 'minio-hl']);
  });
});
