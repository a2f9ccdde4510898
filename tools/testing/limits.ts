/**
 * The size limits a deploy meets, measured on synthesized output, shared by every package's tests:
 *
 * - A Kubernetes object as kubectl sends it with `create --save-config` or `apply`: the whole object
 *   plus its copy in the `kubectl.kubernetes.io/last-applied-configuration` annotation. The API
 *   server rejects an object whose annotations exceed 256 KiB (TotalAnnotationSizeLimitB in
 *   k8s.io/apimachinery's ValidateAnnotations); we allow at most 200 KiB for the whole object.
 * - A kubectl custom resource's properties: CloudFormation invokes the custom-resource provider's
 *   onEvent function asynchronously, and an update event carries the old and the new properties.
 *   The asynchronous invocation payload limit is 1 MB (raised from 256 KB; AWS Compute Blog, "More
 *   room to build: serverless services now support payloads up to 1 MB"); we allow both copies at
 *   most 80% of it.
 * - A template: CloudFormation takes at most 1 MB from S3; we allow 700 KB.
 */
import { statSync } from 'fs';
import { KUBECTL_TYPES } from './kubectl-provider';

type Json = Record<string, any>;

/** Most bytes of one object as kubectl sends it, annotation included (the server's annotation limit is 256 KiB). */
export const MAX_OBJECT_BYTES = 200 * 1024;
/** The asynchronous Lambda invocation payload limit, in bytes. */
export const ASYNC_PAYLOAD_LIMIT_BYTES = 1_000_000;
/** Most bytes of a kubectl custom resource's properties: twice that (an update's old and new) within 80% of the payload limit. */
export const MAX_CUSTOM_RESOURCE_PROPERTIES_BYTES = Math.floor((0.8 * ASYNC_PAYLOAD_LIMIT_BYTES) / 2);
/** Most bytes of a template file. */
export const MAX_TEMPLATE_BYTES = 700_000;

/** The annotation kubectl writes on create --save-config and apply. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * JSON as Go's encoding/json writes a decoded object (kubectl's unstructured encoder): keys sorted,
 * no spaces, `<`, `>`, `&`, U+2028 and U+2029 escaped, a newline at the end.
 */
export function goJson(value: unknown): string {
  return `${goEncode(value)}\n`;
}

function goEncode(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goEncode).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${goString(k)}:${goEncode((value as Json)[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value);
}

function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The value kubectl puts in the last-applied annotation for an object of a manifest. */
export function lastAppliedConfiguration(obj: Json): string {
  const metadata = { ...obj.metadata, annotations: { ...(obj.metadata?.annotations ?? {}) } };
  delete metadata.annotations[LAST_APPLIED];
  return goJson({ ...obj, metadata });
}

/** The object as `kubectl create --save-config` (or `apply`) sends it: with the last-applied annotation. */
export function asKubectlSends(obj: Json): Json {
  const annotations = { ...(obj.metadata?.annotations ?? {}), [LAST_APPLIED]: lastAppliedConfiguration(obj) };
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}

/** Bytes of the object as kubectl sends it (JSON). */
export function kubectlObjectBytes(obj: Json): number {
  return Buffer.byteLength(JSON.stringify(asKubectlSends(obj)));
}

/** One measured item and its limit. */
export interface SizeFigure {
  readonly what: string;
  readonly bytes: number;
  readonly limit: number;
}

const id = (o: Json) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

/** Every object's size as kubectl sends it, against {@link MAX_OBJECT_BYTES}. */
export function objectSizes(objects: Json[]): SizeFigure[] {
  return objects.map((o) => ({ what: id(o), bytes: kubectlObjectBytes(o), limit: MAX_OBJECT_BYTES }));
}

/** Every kubectl custom resource's properties (as in the template) against {@link MAX_CUSTOM_RESOURCE_PROPERTIES_BYTES}. */
export function customResourceSizes(template: Json): SizeFigure[] {
  const types: string[] = Object.values(KUBECTL_TYPES);
  return Object.entries<Json>(template.Resources ?? {})
    .filter(([, r]) => types.includes(r.Type))
    .map(([logicalId, r]) => ({ what: `${r.Type} ${logicalId}`, bytes: Buffer.byteLength(JSON.stringify(r.Properties ?? {})), limit: MAX_CUSTOM_RESOURCE_PROPERTIES_BYTES }));
}

/** Every template file's size against {@link MAX_TEMPLATE_BYTES}. */
export function templateFileSizes(files: string[]): SizeFigure[] {
  return files.map((f) => ({ what: f.split('/').pop()!, bytes: statSync(f).size, limit: MAX_TEMPLATE_BYTES }));
}

/** The figures over their limit, as readable lines. */
export function overLimit(figures: SizeFigure[]): string[] {
  return figures.filter((f) => f.bytes > f.limit).map((f) => `${f.what}: ${f.bytes} bytes > ${f.limit}`);
}

/** Fails listing every figure over its limit; fails too when nothing was measured. */
export function expectWithinLimits(figures: SizeFigure[]): void {
  if (figures.length === 0) throw new Error('nothing was measured');
  const over = overLimit(figures);
  if (over.length > 0) throw new Error(`over the size limits:\n${over.map((l) => `  ${l}`).join('\n')}`);
}

/** The largest figure, for reports. */
export function largest(figures: SizeFigure[]): SizeFigure {
  if (figures.length === 0) throw new Error('nothing was measured');
  return figures.reduce((a, b) => (b.bytes > a.bytes ? b : a));
}
