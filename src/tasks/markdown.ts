/**
 * Markdown structure through remark: the sections of a task or plan body and
 * the checkboxes of a success-criteria list. Slices are taken from the source
 * by position, so what a person wrote is passed on exactly as written.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';

export interface Section {
  depth: number;
  title: string;
  /** The section's content (without its heading), trimmed. */
  content: string;
  line: number;
}

export interface Checkbox {
  text: string;
  checked: boolean;
  line: number;
}

interface MdNode {
  type: string;
  depth?: number;
  checked?: boolean | null;
  value?: string;
  children?: MdNode[];
  position?: { start: { line: number; offset?: number }; end: { line: number; offset?: number } };
}

const processor = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

function parse(markdown: string): MdNode {
  return processor.parse(markdown) as unknown as MdNode;
}

function textOf(node: MdNode): string {
  if (node.value !== undefined) return node.value;
  return (node.children ?? []).map(textOf).join('');
}

/**
 * remark recurses per nesting level: a body of 50,000 `>` overflows the
 * stack. Such a file is read line by line instead (ATX headings and `- [ ]`
 * items outside fences), which is what a person would see anyway.
 */
function deep<T>(markdown: string, read: () => T, fallback: () => T): T {
  // Hundreds of nesting marks at a line's start: remark would spend seconds before it overflows.
  if (TOO_DEEP_RE.test(markdown)) return fallback();
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError) return fallback();
    throw error;
  }
}

const FENCE_RE = /^ {0,3}(`{3,}|~{3,})/;
const TOO_DEEP_RE = /^(?:[ \t]*[>*+-]){500}/m;

/** Lines outside fenced code, with their 0-based offsets. */
function plainLines(markdown: string): { text: string; offset: number; line: number }[] {
  const out: { text: string; offset: number; line: number }[] = [];
  let offset = 0, fence: string | undefined;
  markdown.split('\n').forEach((text, i) => {
    const f = FENCE_RE.exec(text);
    if (f && (!fence || text.trim().startsWith(fence))) fence = fence ? undefined : f[1]!;
    else if (!fence) out.push({ text, offset, line: i + 1 });
    offset += text.length + 1;
  });
  return out;
}

function plainHeadings(markdown: string): { depth: number; title: string; start: number; end: number; line: number }[] {
  return plainLines(markdown).flatMap((l) => {
    const m = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/.exec(l.text);
    return m ? [{ depth: m[1]!.length, title: m[2]!.trim(), start: l.offset, end: l.offset + l.text.length, line: l.line }] : [];
  });
}

function plainSections(markdown: string, depth: number): Section[] {
  const hs = plainHeadings(markdown);
  return hs.flatMap((h, i) => {
    if (h.depth !== depth) return [];
    const next = hs.slice(i + 1).find((n) => n.depth <= h.depth);
    return [{ depth: h.depth, title: h.title, content: markdown.slice(h.end, next?.start ?? markdown.length).trim(), line: h.line }];
  });
}

/** Sections at `depth` (default 2): heading text and the source up to the next heading of that depth or higher. */
export function sections(markdown: string, depth = 2): Section[] {
  return deep(markdown, () => treeSections(markdown, depth), () => plainSections(markdown, depth));
}

function treeSections(markdown: string, depth: number): Section[] {
  const tree = parse(markdown);
  const top = tree.children ?? [];
  const out: Section[] = [];
  for (let i = 0; i < top.length; i++) {
    const node = top[i]!;
    if (node.type !== 'heading' || node.depth! > depth) continue;
    let end = markdown.length;
    for (let j = i + 1; j < top.length; j++) {
      const next = top[j]!;
      if (next.type === 'heading' && next.depth! <= node.depth!) {
        end = next.position!.start.offset!;
        break;
      }
    }
    if (node.depth! < depth) continue;
    out.push({
      depth: node.depth!,
      title: textOf(node).trim(),
      content: markdown.slice(node.position!.end.offset!, end).trim(),
      line: node.position!.start.line,
    });
  }
  return out;
}

export function findSection(markdown: string, names: readonly string[], depth = 2): Section | undefined {
  const wanted = names.map((n) => n.toLowerCase());
  return sections(markdown, depth).find((s) => wanted.includes(s.title.toLowerCase()));
}

/** A node's markdown as written (inline `code`, **emphasis** and links kept), without a task-list box. */
function sourceOf(markdown: string, node: MdNode): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return textOf(node).trim();
  return markdown.slice(start, end).replace(/^\[[ xX]\][ \t]+/, '').trim();
}

/** Checkbox list items (`- [ ]` / `- [x]`) anywhere in the markdown, their text as written. */
export function checkboxes(markdown: string): Checkbox[] {
  return deep(markdown, () => treeCheckboxes(markdown), () => plainLines(markdown).flatMap((l) => {
    const m = /^\s*[-*+] \[([ xX])\][ \t]+(.*)$/.exec(l.text);
    return m ? [{ text: m[2]!.trim(), checked: m[1] !== ' ', line: l.line }] : [];
  }));
}

function treeCheckboxes(markdown: string): Checkbox[] {
  const out: Checkbox[] = [];
  const walk = (node: MdNode) => {
    if (node.type === 'listItem' && typeof node.checked === 'boolean') {
      const para = node.children?.[0];
      out.push({ text: para ? sourceOf(markdown, para) : '', checked: node.checked, line: node.position!.start.line });
    }
    node.children?.forEach(walk);
  };
  walk(parse(markdown));
  return out;
}

/** All headings (any depth) with their text, for tolerant readers of model output. */
export function headings(markdown: string): { depth: number; title: string; start: number; end: number; line: number }[] {
  return deep(markdown, () => treeHeadings(markdown), () => plainHeadings(markdown));
}

function treeHeadings(markdown: string): { depth: number; title: string; start: number; end: number; line: number }[] {
  const tree = parse(markdown);
  return (tree.children ?? [])
    .filter((n) => n.type === 'heading')
    .map((n) => ({ depth: n.depth!, title: textOf(n).trim(), start: n.position!.start.offset!, end: n.position!.end.offset!, line: n.position!.start.line }));
}
