/**
 * Read a model's answer: JSON (bare, fenced, or among prose), else the
 * markdown shape. The API path and `--import` both read answers through this,
 * so a pasted answer is applied exactly as one that came over the API.
 */
import { extractJson } from '../llm/json-text.js';
import type { JsonSchema } from '../llm/schema.js';
import { markdownToObject } from './markdown-answer.js';

export function parseAnswer(
  text: string,
  schema: JsonSchema,
  aliases: Record<string, string> = {},
): { ok: true; value: unknown } | { ok: false; error: string } {
  const json = extractJson(text);
  if (json.ok) return json;
  const md = markdownToObject(text, schema, aliases);
  if (md) return { ok: true, value: md };
  const sections = Object.keys(schema.properties ?? {}).map((k) => `\`${k}\``).join(', ');
  return { ok: false, error: `${json.error}, and no markdown sections named ${sections} were found` };
}
