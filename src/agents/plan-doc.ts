/**
 * plan.md's prose sections (Goal, Constraints, Architecture, Phases) from a
 * plan answer. The agent only names them; tasks/ sets them in plan.md when
 * the change is written, so a section is replaced in place and any other
 * section a person wrote, and baton's task block, stay as they are.
 */
import { withPlanEdit } from '../tasks/plan-edit.js';
import type { PlanAnswer } from './plan-schema.js';

export { setSection } from '../tasks/plan-edit.js';

const bullets = (items: readonly string[] | undefined) => (items ?? []).map((i) => `- ${i.trim()}`).join('\n');

export function planSections(answer: PlanAnswer): [string, string][] {
  const sections: [string, string][] = [['Goal', answer.goal.trim()]];
  if (answer.constraints?.length) sections.push(['Constraints', bullets(answer.constraints)]);
  if (answer.architecture?.length) sections.push(['Architecture', bullets(answer.architecture)]);
  if (answer.phases?.length) sections.push(['Phases', answer.phases.map((p, i) => `${i + 1}. ${p.trim()}`).join('\n')]);
  return sections;
}

/** plan.md with the answer's sections; starts from the template when there is no plan yet. */
export function planWithSections(plan: string, answer: PlanAnswer): string {
  return withPlanEdit(plan, { sections: planSections(answer) });
}
