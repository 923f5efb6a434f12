/**
 * The subset of JSON Schema baton's answers use (object, array, string,
 * number, integer, boolean, enum, required), with a validator whose messages
 * are written to be shown back to the model: each names the path and what was expected.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: readonly string[];
  additionalProperties?: boolean;
}

export function validateSchema(value: unknown, schema: JsonSchema, path = '$'): string[] {
  const errors: string[] = [];
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  switch (schema.type) {
    case 'object': {
      if (kind !== 'object') return [`${path}: expected an object, got ${kind}`];
      const obj = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (obj[key] === undefined || obj[key] === null) errors.push(`${path}.${key}: required but missing`);
      }
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (obj[key] !== undefined && obj[key] !== null) errors.push(...validateSchema(obj[key], sub, `${path}.${key}`));
      }
      break;
    }
    case 'array':
      if (kind !== 'array') return [`${path}: expected an array, got ${kind}`];
      if (schema.items) (value as unknown[]).forEach((v, i) => errors.push(...validateSchema(v, schema.items!, `${path}[${i}]`)));
      break;
    case 'string':
      if (kind !== 'string') return [`${path}: expected a string, got ${kind}`];
      if (schema.enum && !schema.enum.includes(value as string)) {
        errors.push(`${path}: expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(value)}`);
      }
      break;
    case 'number':
    case 'integer':
      if (kind !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) return [`${path}: expected ${schema.type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(value)}`];
      break;
    case 'boolean':
      if (kind !== 'boolean') return [`${path}: expected true or false, got ${JSON.stringify(value)}`];
      break;
  }
  return errors;
}

/**
 * Make what a model wrote fit the schema where the intent is plain: a string
 * where a list is expected becomes a one-item list (split on commas for short
 * items), a list where a string is expected is joined, `"3"` becomes 3. Pure.
 */
export function coerce(value: unknown, schema: JsonSchema): unknown {
  if (value === undefined || value === null) return value;
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (out[key] !== undefined) out[key] = coerce(out[key], sub);
      }
      return out;
    }
    case 'array': {
      let list: unknown[];
      if (Array.isArray(value)) list = value;
      else if (typeof value === 'string' && schema.items?.type === 'string') {
        const text = value.trim();
        if (!text || /^(none|n\/a|-|—)$/i.test(text)) list = [];
        else list = text.includes('\n') ? text.split('\n') : text.split(/,\s*/);
        list = (list as string[]).map((s) => s.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim()).filter(Boolean);
      } else list = [value];
      return schema.items ? list.map((v) => coerce(v, schema.items!)) : list;
    }
    case 'string':
      if (Array.isArray(value)) return value.map(String).join('\n');
      if (typeof value === 'object') {
        // `{name: "API", description: "endpoints"}` where a line of text was asked for.
        const o = value as Record<string, unknown>;
        const head = o.name ?? o.title;
        const tail = o.description ?? o.summary;
        if (typeof head === 'string') return typeof tail === 'string' && tail ? `${head}: ${tail}` : head;
      }
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return value;
    case 'number':
    case 'integer':
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    default:
      return value;
  }
}
