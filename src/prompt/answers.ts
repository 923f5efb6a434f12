/**
 * The prompt's first section once a person has answered: every question asked
 * on the task with its answer, in the order asked. Never cut for the budget
 * (each is bounded when recorded, memory/questions.ts). Pure.
 */
import type { MemoryEntry } from '../memory/entry.js';
import { questionPairs } from '../memory/questions.js';

const indent = (text: string) => text.split('\n').join('\n  ');

export function answersSection(entries: readonly MemoryEntry[]): string {
  return questionPairs(entries)
    .filter((p) => p.answer)
    .map((p) => `- **Question** (${p.question.time}): ${indent(p.question.body)}\n  **Answer** (${p.answer!.time}): ${indent(p.answer!.body)}`)
    .join('\n');
}
