/**
 * The seeder's multipart uploader on its own, against the real moto_server behind a proxy that
 * holds part uploads: the race it guards against (a body failing while a part waits for room)
 * cannot be timed from outside the seeder's process.
 */
import { CreateBucketCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { isPartUpload, SlowBackend, startSlowBackend } from './support/slow-backend';
import { MotoServer, startMoto } from '../../../tools/testing/moto';
import { uploadStream } from '../seeder/multipart';

const MIB = 1024 * 1024;

let moto: MotoServer;
let backend: SlowBackend;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  backend = await startSlowBackend(moto.endpoint, 1000);
  s3 = new S3Client({
    endpoint: backend.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'multipart-test', secretAccessKey: 'multipart-test-secret' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: 'parts' }));
});

afterAll(async () => {
  s3?.destroy();
  await backend?.close();
  await moto?.stop();
});

test('a body that fails while a part waits for room starts no part after the failure and aborts the upload', async () => {
  // GIVEN one part in flight at a time, held for a second by the backend
  const options = { partSize: 5 * MIB, queueSize: 1, beforeVisible: () => undefined };
  const params = { Bucket: 'parts', Key: 'cut.bin', ContentType: 'application/octet-stream', Metadata: {} };

  // WHEN the body fills a first part, then a second that must wait, then fails
  const upload = uploadStream(s3, params, async (write) => {
    await write(Buffer.alloc(5 * MIB, 1));
    void write(Buffer.alloc(5 * MIB, 2))?.catch(() => undefined);
    throw new Error('the source went away');
  }, options);

  // THEN the body's error comes out, only the first part was sent, and the upload is gone
  await expect(upload).rejects.toThrow('the source went away');
  const requests = backend.requests.filter((line) => line.includes(' /parts/cut.bin'));
  expect(requests.filter(isPartUpload)).toHaveLength(1);
  expect(requests.at(-1)).toMatch(/^DELETE \/parts\/cut\.bin\?uploadId=/);
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'parts' }));
  expect(uploads.Uploads ?? []).toEqual([]);
});

test('a body that ends while parts are in flight completes the object', async () => {
  // GIVEN
  const options = { partSize: 5 * MIB, queueSize: 2, beforeVisible: () => undefined };
  const params = { Bucket: 'parts', Key: 'whole.bin', ContentType: 'application/octet-stream', Metadata: {} };

  // WHEN 12 MiB go through in 1 MiB chunks, the writer's waits honoured
  await uploadStream(s3, params, async (write) => {
    for (let i = 0; i < 12; i++) await write(Buffer.alloc(MIB, i));
  }, options);

  // THEN three parts were sent and completed into one object
  const requests = backend.requests.filter((line) => line.includes(' /parts/whole.bin'));
  expect(requests.filter(isPartUpload)).toHaveLength(3);
  expect(requests.at(-1)).toMatch(/^POST \/parts\/whole\.bin\?uploadId=/);
  const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'parts' }));
  expect(uploads.Uploads ?? []).toEqual([]);
});
