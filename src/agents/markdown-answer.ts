/**
 * Read a model's answer written as markdown instead of JSON (chat models often
 * do, when a person pastes a prompt into a chat). Guided by the schema: a
 * `## Section` is a top-level key, `### Item` headings under it are objects of
 * a list, `Field: value` lines and `Field:` + list blocks are their fields. Pure.
 */
import type { JsonSchema } from '../llm/schema.js';

const HEADING_RE = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const LABEL_RE = /^\s*(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z _/-]{0,40}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(.*)$/;
const ITEM_RE = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;

/** `Success criteria` → `success_criteria`; aliases map other names a model may use. */
export function normalizeLabel(text: string, aliases: Record<string, string> = {}): string {
  const base = text.toLowerCase().replace(/[`*_]/g, ' ').replace(/[^a-z0-9]+/g, ' ').trim().replace(/ /g, '_');
  return aliases[base] ?? base;
}

interface Block {
  title: string;
  depth: number;
  lines: string[];
  children: Block[];
}

function blocks(lines: string[]): Block[] {
  const root: Block = { title: '', depth: 0, lines: [], children: [] };
  const stack: Block[] = [root];
  let fence = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = fence ? null : HEADING_RE.exec(line);
    if (m) {
      const block: Block = { title: m[2]!, depth: m[1]!.length, lines: [], children: [] };
      while (stack.length > 1 && stack[stack.length - 1]!.depth >= block.depth) stack.pop();
      stack[stack.length - 1]!.children.push(block);
      stack.push(block);
    } else stack[stack.length - 1]!.lines.push(line);
  }
  return root.children;
}

/** Parse markdown into an object shaped like `schema` (undefined when it has none of its sections). */
export function markdownToObject(text: string, schema: JsonSchema, aliases: Record<string, string> = {}): Record<string, unknown> | undefined {
  const props = schema.properties ?? {};
  const out: Record<string, unknown> = {};
  const visit = (list: Block[]) => {
    for (const b of list) {
      const key = normalizeLabel(b.title, aliases);
      if (props[key] && out[key] === undefined) out[key] = sectionValue(b, props[key]!, aliases);
      else visit(b.children); // a `# Plan` title above the sections
    }
  };
  visit(blocks(text.split(/\r?\n/)));
  return Object.keys(out).length ? out : undefined;
}

function sectionValue(b: Block, schema: JsonSchema, aliases: Record<string, string>): unknown {
  if (schema.type === 'array' && schema.items?.type === 'object') {
    if (b.children.length) return b.children.map((c) => itemObject(c.title, [...c.lines, ...flatten(c.children)], schema.items!, aliases));
    return listItems(b.lines).map((item) => inlineObject(item, schema.items!, aliases));
  }
  if (schema.type === 'array') {
    const items = listItems([...b.lines, ...flatten(b.children)]);
    return items.length ? items : paragraphs(b.lines);
  }
  return [...b.lines, ...flatten(b.children)].join('\n').trim();
}

function flatten(children: Block[]): string[] {
  return children.flatMap((c) => [`${c.title}:`, ...c.lines, ...flatten(c.children)]);
}

function listItems(lines: string[]): string[] {
  const items: string[] = [];
  for (const line of lines) {
    const m = ITEM_RE.exec(line);
    if (m) items.push(m[1]!.trim());
    else if (line.trim() && items.length && /^\s+/.test(line)) items[items.length - 1] += ` ${line.trim()}`;
  }
  return items;
}

function paragraphs(lines: string[]): string[] {
  return lines.join('\n').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}

/** `db: Set up the database`, `Set up the database (key: db)`, `1. Set up…`, `T-7f3a: …`. */
function splitItemTitle(title: string): { key?: string; title: string } {
  let t = title.replace(/^\s*(?:\d+[.)]|[-*+])\s+/, '').replace(/\*\*/g, '').trim();
  const paren = /\s*\((?:key|id)\s*[:=]\s*`?([\w.-]+)`?\)\s*$/i.exec(t);
  if (paren) return { key: paren[1], title: t.slice(0, paren.index).trim() };
  const lead = /^`?(T-[0-9a-f]{3,16}|[a-z0-9][\w.-]{0,30})`?\s*(?::|—|–|\s-\s)\s*(.+)$/i.exec(t);
  if (lead && (!lead[1]!.includes(' '))) return { key: lead[1], title: lead[2]!.trim() };
  t = t.replace(/^task\s+\d+\s*[:.-]\s*/i, '');
  return { title: t };
}

function itemObject(title: string, lines: string[], schema: JsonSchema, aliases: Record<string, string>): Record<string, unknown> {
  const props = schema.properties ?? {};
  const obj: Record<string, unknown> = {};
  const head = splitItemTitle(title);
  const keyField = props.key ? 'key' : props.id ? 'id' : props.task ? 'task' : undefined;
  if (head.key && keyField) obj[keyField] = head.key;
  const titleField = props.title ? 'title' : props.claim ? 'claim' : undefined;
  const textField = ['context', 'reason', 'evidence', 'description'].find((f) => props[f]);
  const rest = head.key && !keyField ? title.trim() : head.title;
  if (titleField) obj[titleField] = rest;
  else if (keyField && !head.key) obj[keyField] = rest;
  else if (textField && rest) obj[textField] = rest; // `T-7f3a: why` in a list of {id, reason}
  let current: string | undefined;
  let buffer: string[] = [];
  const flush = () => {
    if (current === undefined) return;
    const text = buffer.join('\n').trim();
    if (props[current]?.type === 'array') obj[current] = listItems(buffer).length ? listItems(buffer) : text;
    else if (text) obj[current] = text;
    buffer = [];
    current = undefined;
  };
  const free: string[] = [];
  for (const line of lines) {
    const m = LABEL_RE.exec(line);
    const label = m ? normalizeLabel(m[1]!, aliases) : undefined;
    if (m && label && props[label]) {
      flush();
      current = label;
      if (m[2]!.trim()) buffer.push(m[2]!.trim());
      continue;
    }
    if (current !== undefined && props[current]?.type === 'array' && line.trim() && !ITEM_RE.test(line) && !/^\s/.test(line)) {
      flush(); // prose after a list is not part of it (e.g. "Let me know if…" at the end of an answer)
    }
    if (current !== undefined) buffer.push(line);
    else free.push(line);
  }
  flush();
  const loose = free.join('\n').trim();
  if (loose && textField && obj[textField] === undefined) obj[textField] = loose;
  return obj;
}

/** A list item of an object list: `T-7f3a: reason` or `key: x; title: y`. */
function inlineObject(item: string, schema: JsonSchema, aliases: Record<string, string>): Record<string, unknown> {
  const parts = item.split(/;\s+/);
  if (parts.length > 1 && parts.every((p) => LABEL_RE.test(p))) return itemObject('', parts, schema, aliases);
  return itemObject(item, [], schema, aliases);
}
