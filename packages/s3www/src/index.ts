export * from './s3www';
