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

/** Sections at `depth` (default 2): heading text and the source up to the next heading of that depth or higher. */
export function sections(markdown: string, depth = 2): Section[] {
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

/** Checkbox list items (`- [ ]` / `- [x]`) anywhere in the markdown. */
export function checkboxes(markdown: string): Checkbox[] {
  const out: Checkbox[] = [];
  const walk = (node: MdNode) => {
    if (node.type === 'listItem' && typeof node.checked === 'boolean') {
      const para = node.children?.[0];
      out.push({ text: para ? textOf(para).trim() : '', checked: node.checked, line: node.position!.start.line });
    }
    node.children?.forEach(walk);
  };
  walk(parse(markdown));
  return out;
}

/** All headings (any depth) with their text, for tolerant readers of model output. */
export function headings(markdown: string): { depth: number; title: string; start: number; end: number; line: number }[] {
  const tree = parse(markdown);
  return (tree.children ?? [])
    .filter((n) => n.type === 'heading')
    .map((n) => ({ depth: n.depth!, title: textOf(n).trim(), start: n.position!.start.offset!, end: n.position!.end.offset!, line: n.position!.start.line }));
}
