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

export interface DoctorReport {
  problems: Problem[];
  fixed: string[];
  tasks: number;
}

export async function doctor(project: Project, opts: { fix?: boolean; checks?: DoctorCheck[] } = {}): Promise<DoctorReport> {
  const problems: Problem[] = [];
  const fixed: string[] = [];
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
  return { problems, fixed, tasks: tasks.length };
}
