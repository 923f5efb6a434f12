/**
 * Beads' JSONL export (`.beads/issues.jsonl`): one issue per line. A `blocks`
 * dependency is a dependency; `parent-child` (or an id like `bd-12.1`) makes the
 * parent (an epic) wait for its children; `related` and `discovered-from` are
 * named in the context. Priority 0–4 becomes P0–P4; the issue type a label.
 */
import { BatonError } from '../../core/errors.js';
import { listItems, statusFromWord, str, strings, unknownStatus, type ForeignPlan, type ForeignTask } from './foreign.js';

interface Dep { issue_id?: unknown; depends_on_id?: unknown; type?: unknown }


export function readBeads(text: string, file: string): ForeignPlan {
  const issues: { data: Record<string, unknown>; line: number }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const data = JSON.parse(line);
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not an object');
      issues.push({ data, line: i + 1 });
    } catch (error) {
      throw new BatonError(`${file}:${i + 1} is not a JSON object: ${(error as Error).message}`, { file, line: i + 1, hint: 'Beads exports one issue per line (`bd export`); nothing was written.' });
    }
  });
  const live = issues.filter((x) => str(x.data.status) !== 'tombstone');
  const ids = new Set(live.map((x) => str(x.data.id)));
  // A deleted issue (tombstone) is no longer a dependency.
  const gone = new Set(issues.filter((x) => str(x.data.status) === 'tombstone').map((x) => str(x.data.id)));
  const children = new Map<string, string[]>();
  const tasks: ForeignTask[] = [];
  for (const { data, line } of live) {
    const where = `${file}:${line}`;
    const id = str(data.id);
    if (!id) throw new BatonError(`${where}: no \`id\``, { file, line, hint: 'Every Beads issue has an id; nothing was written.' });
    const title = str(data.title)?.trim();
    if (!title) throw new BatonError(`${where}: no \`title\``, { file, line, hint: 'Every issue needs a title; nothing was written.' });
    const status = statusFromWord(data.status);
    if (!status) throw unknownStatus(data.status, where);
    const deps: string[] = [];
    const related: string[] = [];
    for (const d of (Array.isArray(data.dependencies) ? data.dependencies : []) as Dep[]) {
      const on = str(d?.depends_on_id) ?? (typeof d === 'string' ? d : undefined);
      if (!on || gone.has(on)) continue;
      const type = str(d?.type) ?? 'blocks';
      if (type === 'parent-child') children.set(on, [...(children.get(on) ?? []), id]);
      else if (/blocks/.test(type)) deps.push(on);
      else related.push(`${on} (${type})`);
    }
    const parent = /^(.*)\.\d+$/.exec(id)?.[1];
    if (parent && ids.has(parent) && !(children.get(parent) ?? []).includes(id)) children.set(parent, [...(children.get(parent) ?? []), id]);
    const priority = data.priority === undefined || data.priority === null ? undefined : `P${str(data.priority)}`;
    const context = [
      str(data.description)?.trim(),
      str(data.design)?.trim() && `Design:\n\n${str(data.design)!.trim()}`,
      str(data.notes)?.trim() && `Notes:\n\n${str(data.notes)!.trim()}`,
      related.length ? `Related: ${related.join(', ')}.` : undefined,
    ].filter(Boolean).join('\n\n');
    const labels = strings(data.labels) ?? [];
    const type = str(data.issue_type ?? data.type);
    if (type && type !== 'task' && !labels.includes(type)) labels.push(type);
    tasks.push({
      ref: `beads#${id}`,
      source: `beads#${id}`,
      title,
      context: context || undefined,
      criteria: listItems(str(data.acceptance_criteria)),
      dependsOn: deps.map((d) => `beads#${d}`),
      status,
      priority,
      labels,
      where,
    });
  }
  for (const t of tasks) {
    const kids = children.get(t.ref.slice('beads#'.length)) ?? [];
    for (const k of kids) if (!t.dependsOn.includes(`beads#${k}`)) t.dependsOn.push(`beads#${k}`);
  }
  return { format: 'beads', tasks };
}
