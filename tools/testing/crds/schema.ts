/**
 * A closed structural schema (a small subset of JSON Schema: type, required, properties, enum,
 * pattern, items) and its checker, for custom resources whose published schemas are not on npm.
 */
export type Schema =
  | ObjectSchema
  | { readonly type: 'string'; readonly enum?: readonly string[]; readonly pattern?: string }
  | { readonly type: 'integer' | 'boolean' }
  | { readonly type: 'array'; readonly items: Schema };

export interface ObjectSchema {
  readonly type: 'object';
  readonly required?: readonly string[];
  readonly properties?: Record<string, Schema>;
  /** Open maps (labels, annotations); closed by default. */
  readonly additionalProperties?: boolean;
}

/** Every way `value` breaks `schema`, as `path: problem`. */
export function checkSchema(schema: Schema, value: unknown, path = ''): string[] {
  const at = path || '/';
  switch (schema.type) {
    case 'object': {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${at} must be an object`];
      const obj = value as Record<string, unknown>;
      const problems = (schema.required ?? []).filter((k) => obj[k] === undefined).map((k) => `${path}/${k} is required`);
      for (const [key, child] of Object.entries(obj)) {
        const childSchema = schema.properties?.[key];
        if (childSchema) problems.push(...checkSchema(childSchema, child, `${path}/${key}`));
        else if (!schema.additionalProperties) problems.push(`unknown field ${`${path}/${key}`.slice(1).replace(/\//g, '.')}`);
      }
      return problems;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${at} must be an array`];
      return value.flatMap((item, i) => checkSchema(schema.items, item, `${path}/${i}`));
    case 'string':
      if (typeof value !== 'string') return [`${at} must be a string`];
      if (schema.enum && !schema.enum.includes(value)) return [`${at} must be one of ${schema.enum.join(', ')}, got ${value}`];
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) return [`${at} must match ${schema.pattern}, got ${value}`];
      return [];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at} must be an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at} must be a boolean`];
  }
}
