/** `baton doctor`: every problem in `.agents/`, located, like a linter. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatonError, type Problem } from '../core/errors.js';
import { graphProblems } from '../core/graph.js';
import { ENTRY_KINDS } from '../memory/entry.js';
import { TASK_ID_RE } from '../core/task.js';
import { readConfig } from '../workspace/config.js';
import { parseMemory, brokenMemoryFiles, memoryFileNames } from '../memory/file.js';
import { LESSONS_SHOWN, lessonsPath } from '../memory/lessons-file.js';
import { parseLessons } from '../memory/lessons.js';
import { BEGIN_MARKER, END_MARKER } from '../tasks/plan.js';
import { loadTasks } from '../tasks/task-files.js';
import type { DoctorCheck, Project } from '../workspace/context.js';
import { refreshPlanFile } from '../tasks/write.js';
import { AGENTS, isUnder } from '../workspace/paths.js';
import { gitRun } from '../git/task-branch.js';
import { commitWritten, snapshotAgents } from './plan-commit.js';

export interface DoctorReport {
  problems: Problem[];
  fixed: string[];
  tasks: number;
}

export async function doctor(project: Project, opts: { fix?: boolean; checks?: DoctorCheck[]; commit?: boolean } = {}): Promise<DoctorReport> {
  const problems: Problem[] = [];
  const fixed: string[] = [];
  const before = opts.fix ? snapshotAgents(project.root) : undefined;
  try {
    readConfig(project.root);
  } catch (error) {
    if (!(error instanceof BatonError)) throw error;
    problems.push({ file: error.file, line: error.line, message: error.message, hint: error.hint, severity: 'error' });
  }
  const { tasks, problems: fileProblems } = loadTasks(project.root);
  problems.push(...fileProblems, ...graphProblems(tasks));

  const planPath = project.paths.plan;
  if (!existsSync(planPath)) {
    problems.push({ file: AGENTS.plan, severity: 'warning', message: 'plan.md is missing', hint: 'Run `baton init` to create it.' });
  } else {
    const plan = readFileSync(planPath, 'utf8');
    if (!plan.includes(BEGIN_MARKER) || !plan.includes(END_MARKER)) {
      problems.push({
        file: AGENTS.plan, severity: 'warning', message: 'plan.md has no generated task block',
        hint: '`baton doctor --fix` adds it (a task table and the graph between baton markers).',
      });
    }
  }

  const known = new Set(tasks.map((t) => t.id));
  const memDir = project.paths.memory;
  if (existsSync(memDir)) {
    problems.push(...brokenMemoryFiles(memDir));
    for (const name of memoryFileNames(memDir)) {
      if (/^readme\.md$/i.test(name)) continue;
      const id = name.slice(0, -3);
      const file = `${AGENTS.memory}/${name}`;
      if (id !== 'project' && (!TASK_ID_RE.test(id) || (!known.has(id) && !fileProblems.some((p) => p.file?.includes(`/${id}-`))))) {
        problems.push({ file, severity: 'warning', message: `memory for \`${id}\`, which is not a task`, hint: 'Rename it to `<task id>.md` or move its entries to `project.md`.' });
      }
      for (const entry of parseMemory(readFileSync(join(memDir, name), 'utf8'), id).entries) {
        if (!(ENTRY_KINDS as readonly string[]).includes(entry.kind)) {
          problems.push({
            file, line: entry.line, severity: 'warning', message: `unknown entry kind \`${entry.kind}\``,
            hint: `Kinds are: ${ENTRY_KINDS.join(', ')}.`,
          });
        }
      }
    }
  }
  // The lessons file is edited by hand: every malformed lesson, located (prompts refuse it until it is fixed).
  const lessons = lessonsPath(project.root);
  if (existsSync(lessons)) {
    for (const p of parseLessons(readFileSync(lessons, 'utf8')).problems) {
      problems.push({ file: LESSONS_SHOWN, line: p.line, severity: 'error', message: p.message, hint: 'Each lesson is `## L-<id>`, `key: value` lines (status: active | retired), a blank line, then its text.' });
    }
  }
  // A check repairs what it found when asked (`--fix`), and reports what is left.
  for (const check of opts.checks ?? []) problems.push(...(await check(project, { fix: opts.fix, fixed })));

  if (opts.fix && !problems.some((p) => p.severity === 'error' && isUnder(p.file ?? '', AGENTS.tasks))) {
    if (refreshPlanFile(project)) fixed.push('.agents/plan.md: task block rewritten');
  }
  // What --fix wrote is committed as one of baton's own commits, so the repair is in git too.
  if (before) {
    const subject = 'Memory: `baton doctor --fix` repaired the record';
    const c = await commitWritten(before, subject, { commit: opts.commit });
    if (c.commit) fixed.push(`committed ${c.commit}  ${subject}`);
  }
  problems.push(...uncommittedAgents(project.root));
  return { problems, fixed, tasks: tasks.length };
}

/**
 * The plan lives in git: a file under `.agents/` that is untracked or changed
 * is work a branch, a clone or the next `baton start` does not see.
 */
export function uncommittedAgents(root: string): Problem[] {
  const r = gitRun(root, ['-c', 'core.quotePath=false', 'status', '--porcelain', '-z', '--untracked-files=all', '--', AGENTS.dir]);
  if (r.code !== 0) return [];
  const entries: { path: string; untracked: boolean }[] = [];
  const parts = r.stdout.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.length < 4) continue;
    entries.push({ path: p.slice(3), untracked: p.startsWith('??') });
    if (p[0] === 'R' || p[0] === 'C') i++; // the original path follows
  }
  if (!entries.length) return [];
  const shown = entries.slice(0, 8).map((e) => `\`${e.path}\`${e.untracked ? ' (untracked)' : ' (changed)'}`).join(', ');
  const more = entries.length > 8 ? ` and ${entries.length - 8} more` : '';
  return [{
    file: AGENTS.dir, severity: 'warning',
    message: `${entries.length} file${entries.length === 1 ? '' : 's'} not committed: ${shown}${more}; a task branch, a clone or a merge does not see ${entries.length === 1 ? 'it' : 'them'}`,
    hint: `Commit them: \`git add -- ${AGENTS.dir} && git commit -m "Plan: commit baton's files" -- ${AGENTS.dir}\` (your other staged changes stay out).`,
  }];
}
