/**
 * Changes to plan.md's prose that a planner or reviewer asks for. Apart from
 * plan.ts because it parses markdown (remark), which commands that only show
 * the table should not load.
 */
import { findSection, headings } from './markdown.js';
import { BEGIN_MARKER, PLAN_TEMPLATE } from './plan.js';

/**
 * What a planner or reviewer changes in plan.md's prose, as data: sections set
 * in place (Goal, Constraints, …) and lines added under `## Review notes`. It is
 * applied to plan.md as it is when the change is written, not as it was read.
 */
export interface PlanEdit {
  sections?: readonly (readonly [string, string])[];
  notes?: readonly string[];
}

/** plan.md with an edit's prose applied; starts from the template when there is no plan and sections are set. */
export function withPlanEdit(plan: string, edit: PlanEdit): string {
  let text = edit.sections?.length && !plan.trim() ? PLAN_TEMPLATE : plan;
  for (const [title, content] of edit.sections ?? []) text = setSection(text, title, content);
  if (edit.notes?.length) {
    const prior = findSection(text, ['Review notes'])?.content ?? '';
    text = setSection(text, 'Review notes', [prior, ...edit.notes].filter(Boolean).join('\n'));
  }
  return text;
}

/** Replace a `## title` section's content in place, or add it before the tasks; baton's block is never touched. */
export function setSection(markdown: string, title: string, content: string): string {
  const all = headings(markdown);
  const index = all.findIndex((h) => h.depth === 2 && h.title.toLowerCase() === title.toLowerCase());
  const body = `\n\n${content}\n\n`;
  if (index !== -1) {
    const start = all[index]!.end;
    const next = all.slice(index + 1).find((h) => h.depth <= 2);
    const marker = markdown.indexOf(BEGIN_MARKER, start);
    let end = next?.start ?? markdown.length;
    if (marker !== -1 && marker < end) end = marker;
    return oneTrailingNewline(markdown.slice(0, start) + body + markdown.slice(end).replace(/^\n+/, ''));
  }
  const tasks = all.find((h) => h.depth === 2 && h.title.toLowerCase() === 'tasks');
  const at = tasks?.start ?? (markdown.includes(BEGIN_MARKER) ? markdown.indexOf(BEGIN_MARKER) : markdown.length);
  const before = markdown.slice(0, at).replace(/\n*$/, '\n\n');
  return oneTrailingNewline(`${before}## ${title}${body}${markdown.slice(at)}`);
}

function oneTrailingNewline(text: string): string {
  return text.replace(/\n*$/, '\n');
}
