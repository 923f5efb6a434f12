/**
 * plan.md's prose sections (Goal, Constraints, Architecture, Phases) written
 * from a plan answer. A section is replaced in place; any other section a
 * person wrote, and baton's task block, stay as they are.
 */
import { headings } from '../tasks/markdown.js';
import { BEGIN_MARKER, PLAN_TEMPLATE } from '../tasks/plan.js';
import type { PlanAnswer } from './plan-schema.js';

const bullets = (items: readonly string[] | undefined) => (items ?? []).map((i) => `- ${i.trim()}`).join('\n');

export function planSections(answer: PlanAnswer): [string, string][] {
  const sections: [string, string][] = [['Goal', answer.goal.trim()]];
  if (answer.constraints?.length) sections.push(['Constraints', bullets(answer.constraints)]);
  if (answer.architecture?.length) sections.push(['Architecture', bullets(answer.architecture)]);
  if (answer.phases?.length) sections.push(['Phases', answer.phases.map((p, i) => `${i + 1}. ${p.trim()}`).join('\n')]);
  return sections;
}


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

/** plan.md with the answer's sections; starts from the template when there is no plan yet. */
export function planWithSections(plan: string, answer: PlanAnswer): string {
  let text = plan.trim() ? plan : PLAN_TEMPLATE;
  for (const [title, content] of planSections(answer)) text = setSection(text, title, content);
  return text;
}
