/**
 * The one front matter parser. Splitting is a small function (fast: commands
 * that need only front matter never run the markdown pipeline); the YAML is
 * read with `yaml`, and edits are made in place on the source text so that
 * comments, key order, unknown keys and the body survive byte for byte.
 */
import type { Document, Pair, Node } from 'yaml';
import { BatonError } from '../core/errors.js';
import { yaml } from './yaml.js';

export interface FrontMatter {
  data: Record<string, unknown>;
  /** 1-based line in the file of each top-level key. */
  lines: Record<string, number>;
  /** 1-based line of the opening `---`. */
  line: number;
  body: string;
  /** Offsets of the YAML text inside the file. */
  yamlStart: number;
  yamlEnd: number;
}

const OPEN_RE = /^---[ \t]*\r?\n/;
const CLOSE_RE = /^---[ \t]*$/m;

/** Split `---\nyaml\n---\nbody`; undefined when the file has no front matter. */
export function splitFrontMatter(text: string): { yamlStart: number; yamlEnd: number; bodyStart: number } | undefined {
  const open = OPEN_RE.exec(text.startsWith('\uFEFF') ? text.slice(1) : text);
  if (!open) return undefined;
  const yamlStart = open[0].length + (text.startsWith('\uFEFF') ? 1 : 0);
  const rest = text.slice(yamlStart);
  // An empty front matter closes immediately.
  const close = rest.startsWith('---') ? { index: 0, 0: rest.match(/^---[ \t]*/)![0] } : CLOSE_RE.exec(rest);
  if (!close || (close.index > 0 && rest[close.index - 1] !== '\n')) return undefined;
  const yamlEnd = yamlStart + close.index;
  let bodyStart = yamlEnd + close[0].length;
  if (text[bodyStart] === '\r') bodyStart++;
  if (text[bodyStart] === '\n') bodyStart++;
  return { yamlStart, yamlEnd, bodyStart };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function parseFrontMatter(text: string, file: string, example = 'id: T-7f3a\ntitle: Add login endpoint'): FrontMatter {
  const split = splitFrontMatter(text);
  if (!split) {
    throw new BatonError('missing front matter', {
      file, line: 1,
      hint: `The file must start with a YAML block between \`---\` lines, like:\n  ---\n  ${example.replace(/\n/g, '\n  ')}\n  ---`,
    });
  }
  const yamlText = text.slice(split.yamlStart, split.yamlEnd);
  const firstLine = lineAt(text, split.yamlStart);
  const { parseDocument, isMap, isScalar } = yaml();
  const doc = parseDocument(yamlText, { prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const line = firstLine + (error.linePos?.[0].line ?? 1) - 1;
    const what = (error.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, '');
    throw new BatonError(`invalid YAML in front matter: ${what}`, {
      file, line,
      hint: 'Fix the YAML between the `---` lines (check indentation, colons and quotes).',
    });
  }
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    throw new BatonError('front matter must be a set of `key: value` lines', {
      file, line: firstLine, hint: `Expected something like:\n  ${example.replace(/\n/g, '\n  ')}`,
    });
  }
  const lines: Record<string, number> = {};
  // Count lines incrementally: key offsets only grow.
  let line = firstLine, pos = 0;
  for (const item of contents?.items ?? []) {
    const key = isScalar(item.key) ? String(item.key.value) : undefined;
    const start = (item.key as Node | null)?.range?.[0];
    if (key === undefined || start === undefined) continue;
    for (; pos < start; pos++) if (yamlText.charCodeAt(pos) === 10) line++;
    lines[key] = line;
  }
  const data = (yamlData(doc, yamlText, file, firstLine) ?? {}) as Record<string, unknown>;
  return { data, lines, line: lineAt(text, 0), body: text.slice(split.bodyStart), yamlStart: split.yamlStart, yamlEnd: split.yamlEnd };
}

/** Few enough that no hand-written file needs more, few enough that a "billion laughs" stops at once. */
const MAX_ALIASES = 50;

/**
 * A parsed document's data, or a located error: aliases that expand
 * exponentially (a "billion laughs" file) and unresolvable ones are refused
 * at the line of the first alias instead of exhausting memory or throwing a
 * bare ReferenceError. `firstLine` is the file line of the YAML's first line.
 */
export function yamlData(doc: Document.Parsed, yamlText: string, file: string, firstLine: number): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const { visit } = yaml();
    let offset = 0;
    visit(doc, { Alias: (_key, node) => {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    } });
    const line = firstLine + lineAt(yamlText, offset) - 1;
    const what = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new BatonError(`YAML aliases that cannot be read: ${what}`, {
      file, line, cause: error,
      hint: `Write the values out instead of using \`*alias\` references (at most ${MAX_ALIASES} are read).`,
    });
  }
}

/** Render a value as YAML on one line (flow style). */
function inlineYaml(value: unknown): string {
  const { Document } = yaml();
  return new Document(value, { flow: true }).toString({ flowCollectionPadding: false, lineWidth: 0 }).trimEnd();
}

/**
 * Change the given top-level keys of a file's front matter, touching nothing
 * else. `undefined` removes a key. Keys not present are added at the end.
 */
export function setFrontMatterFields(text: string, file: string, updates: Record<string, unknown>): string {
  const split = splitFrontMatter(text);
  if (!split) parseFrontMatter(text, file); // throws the located error
  const { yamlStart, yamlEnd } = split!;
  let yamlText = text.slice(yamlStart, yamlEnd);
  const { parseDocument, isMap, isPair, isScalar, isCollection } = yaml();
  for (const [key, value] of Object.entries(updates)) {
    const doc = parseDocument(yamlText);
    if (doc.errors.length) parseFrontMatter(text, file);
    const map = doc.contents;
    const pair = isMap(map) ? (map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node | null> | undefined) : undefined;
    if (!pair) {
      if (value === undefined) continue;
      const sep = yamlText === '' || yamlText.endsWith('\n') ? '' : '\n';
      yamlText = `${yamlText}${sep}${key}: ${inlineYaml(value)}\n`;
      continue;
    }
    const keyNode = pair.key as Node;
    const valueNode = isPair(pair) ? (pair.value as Node | null) : null;
    if (value === undefined) {
      // Remove the whole line(s) of the pair, including a trailing comment.
      const start = yamlText.lastIndexOf('\n', keyNode.range![0] - 1) + 1;
      const endNode = valueNode?.range?.[2] ?? keyNode.range![2];
      let end = yamlText.indexOf('\n', Math.max(endNode - 1, keyNode.range![1]));
      end = end === -1 ? yamlText.length : end + 1;
      yamlText = yamlText.slice(0, start) + yamlText.slice(end);
      continue;
    }
    const rendered = inlineYaml(value);
    if (!valueNode || !valueNode.range || (isScalar(valueNode) && valueNode.value === null && valueNode.range[0] === valueNode.range[1])) {
      const colon = yamlText.indexOf(':', keyNode.range![1]);
      yamlText = `${yamlText.slice(0, colon + 1)} ${rendered}${yamlText.slice(colon + 1).replace(/^[ \t]*/, '')}`;
    } else if (isCollection(valueNode) && !valueNode.flow) {
      // A block list becomes a flow list on the key's line.
      const colon = yamlText.indexOf(':', keyNode.range![1]);
      const endOfValue = valueNode.range[1];
      const tail = yamlText.slice(endOfValue);
      yamlText = `${yamlText.slice(0, colon + 1)} ${rendered}${tail.startsWith('\n') ? '' : '\n'}${tail}`;
    } else {
      yamlText = yamlText.slice(0, valueNode.range[0]) + rendered + yamlText.slice(valueNode.range[1]);
    }
  }
  return text.slice(0, yamlStart) + yamlText + text.slice(yamlEnd);
}
