export * from './minio';
