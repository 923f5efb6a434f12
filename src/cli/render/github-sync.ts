/** What `baton sync github` prints: one summary line, then each change and each conflict with both values. */
import type { GithubSyncReport } from '../../remote/github-sync.js';

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A value on one line, cut to a readable length. */
function shown(value: string): string {
  const one = value.replace(/\n/g, '⏎');
  return JSON.stringify(one.length > 120 ? `${one.slice(0, 117)}...` : one);
}

export function renderGithubSync(r: GithubSyncReport): string {
  const would = r.dryRun ? 'would be ' : '';
  const toGithub = r.changes.filter((c) => c.to === 'github').length;
  const toBaton = r.changes.filter((c) => c.to === 'baton').length;
  const lines = [
    `GitHub ${r.repo}${r.dryRun ? ' (dry run)' : ''}: ${count(r.created.length, 'issue')} ${would}created, ${count(r.imported.length, 'task')} ${would}added from issues, `
    + `${count(toGithub, 'field')} ${would}sent to GitHub, ${count(toBaton, 'field')} ${would}taken from GitHub, ${count(r.conflicts.length, 'conflict')}, ${count(r.writes, 'API write')}`,
  ];
  for (const c of r.created) lines.push(`  ${c.id} → ${c.issue ? `#${c.issue}` : 'a new issue'}`);
  for (const c of r.imported) lines.push(`  #${c.issue} → ${c.id} (new task)`);
  for (const c of r.adopted) lines.push(`  ${c.id} ↔ #${c.issue} (found by its marker, linked)`);
  for (const c of r.changes) lines.push(`  ${c.id} #${c.issue} ${c.field}: ${c.to === 'github' ? 'baton → GitHub' : 'GitHub → baton'}`);
  for (const c of r.comments) lines.push(`  ${c.id} #${c.issue}: memory summary posted`);
  for (const c of r.conflicts) {
    lines.push(`  CONFLICT ${c.id} #${c.issue} ${c.field}: edited on both sides`, `    baton:  ${shown(c.baton)}`, `    github: ${shown(c.github)}`);
  }
  if (r.conflicts.length) lines.push('Conflicts change neither side: make one side match the other, or run `baton sync github --prefer baton|github`.');
  return lines.join('\n');
}
