/**
 * The prompt's first section when a person asked for changes: their comments,
 * each with its file and line, as they wrote them. Never cut to fit a budget
 * (like the task itself): they are what this attempt is for.
 */
import type { MemoryEntry } from '../memory/entry.js';

/** The open requests' comments (the bodies' list items), oldest request first; empty when there is none. */
export function reviewCommentsSection(requests: readonly MemoryEntry[]): string {
  if (!requests.length) return '';
  const parts = requests.map((e) => {
    // The body's first line says who asked where; its list holds the comments.
    const [, ...rest] = e.body.split('\n');
    const items = rest.join('\n').trim();
    return items || '- (no comment given: look at the whole change again)';
  });
  return [
    'A person reviewed the work on this branch and asked for changes. Address every comment below before anything else;',
    '`file:line` names the line as the branch had it when they reviewed it. Say in your report how you addressed each one.',
    '',
    parts.join('\n'),
  ].join('\n');
}
