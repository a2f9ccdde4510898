/**
 * Schemas for the External Secrets Operator v1 objects the cluster library emits (SecretStore with
 * the AWS provider, ExternalSecret). No CommonJS schema package for ESO v1 exists on npm, so these are
 * written from the ESO v1 API reference for the fields this project uses, and closed: a field the
 * schema does not list is reported as unknown.
 *
 * @see https://external-secrets.io/latest/api/spec/
 */
import { ObjectSchema } from './schema';

const str = { type: 'string' } as const;
const metadata = { type: 'object', additionalProperties: true } as const;

/** A Kubernetes object (apiVersion, kind, open metadata) whose spec follows `spec`. */
function resource(spec: ObjectSchema): ObjectSchema {
  return { type: 'object', required: ['apiVersion', 'kind', 'metadata', 'spec'], properties: { apiVersion: str, kind: str, metadata, spec } };
}

const secretStore = resource({
  type: 'object',
  required: ['provider'],
  properties: {
    refreshInterval: { type: 'integer' },
    provider: {
      type: 'object',
      properties: {
        aws: {
          type: 'object',
          required: ['service'],
          properties: {
            service: { type: 'string', enum: ['SecretsManager', 'ParameterStore'] },
            region: str,
            role: str,
            prefix: str,
          },
        },
      },
    },
  },
});

const remoteRef: ObjectSchema = {
  type: 'object',
  required: ['key'],
  properties: {
    key: str,
    property: str,
    version: str,
    conversionStrategy: { type: 'string', enum: ['Default', 'Unicode'] },
    decodingStrategy: { type: 'string', enum: ['Auto', 'Base64', 'Base64URL', 'None'] },
    metadataPolicy: { type: 'string', enum: ['None', 'Fetch'] },
  },
};

const externalSecret = resource({
  type: 'object',
  properties: {
    refreshInterval: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' },
    secretStoreRef: {
      type: 'object',
      required: ['name'],
      properties: { name: str, kind: { type: 'string', enum: ['SecretStore', 'ClusterSecretStore'] } },
    },
    target: {
      type: 'object',
      properties: {
        name: str,
        creationPolicy: { type: 'string', enum: ['Owner', 'Orphan', 'Merge', 'None'] },
        deletionPolicy: { type: 'string', enum: ['Delete', 'Merge', 'Retain'] },
        immutable: { type: 'boolean' },
      },
    },
    data: {
      type: 'array',
      items: { type: 'object', required: ['secretKey', 'remoteRef'], properties: { secretKey: str, remoteRef } },
    },
    dataFrom: {
      type: 'array',
      items: { type: 'object', properties: { extract: remoteRef } },
    },
  },
});

/** `apiVersion/kind` to schema. */
export const EXTERNAL_SECRETS_SCHEMAS: Record<string, ObjectSchema> = {
  'external-secrets.io/v1/SecretStore': secretStore,
  'external-secrets.io/v1/ExternalSecret': externalSecret,
};
