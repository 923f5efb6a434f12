/**
 * Spec Kit's `specs/NNN-feature/tasks.md`: `- [ ] T012 [P] [US1] Create model in src/models/x.py`
 * under `## Phase N: …` headings. The order Spec Kit means becomes dependencies:
 * within a phase a task waits for the step before it (a run of `[P]` tasks is one
 * step, a `###` sub-heading ends a run); a phase waits for the last step of the
 * phase before it, except that user-story phases all wait only for the last
 * phase that is not a story (they run in parallel) and the phase after them
 * waits for every story. "(depends on T012, T013)" in a task's text wins.
 */
import { basename, dirname } from 'node:path';
import { BatonError } from '../../core/errors.js';
import { pathsIn, type ForeignPlan, type ForeignTask } from './foreign.js';

interface Phase {
  name: string;
  story: boolean;
  steps: ForeignTask[][];
}

export function readSpeckit(text: string, file: string): ForeignPlan {
  const feature = basename(dirname(file));
  const prefix = /^\d{3}-/.test(feature) ? `speckit#${feature}/` : 'speckit#';
  const phases: Phase[] = [];
  let phase: Phase | undefined;
  let run: ForeignTask[] | undefined; // the current run of [P] tasks
  const explicit = new Map<ForeignTask, string[]>();
  const lines = text.split(/\r?\n/);
  let fence = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) return;
    const h2 = /^##\s+(.*)$/.exec(line);
    if (h2) {
      const title = h2[1]!.replace(/\p{Extended_Pictographic}|\uFE0F/gu, '').trim();
      const m = /^Phase\s+[\w.]+\s*[:–—-]\s*(.*)$/i.exec(title);
      phase = m ? { name: m[1]!.replace(/\s*\(Priority:[^)]*\)\s*/i, ' ').replace(/\s+MVP\s*$/i, '').trim() || title, story: /user story/i.test(m[1]!), steps: [] } : undefined;
      if (phase) phases.push(phase);
      run = undefined;
      return;
    }
    if (/^#{3,}\s/.test(line)) {
      run = undefined;
      return;
    }
    const t = /^\s*[-*]\s+\[([ xX])\]\s+(T\d+)\s+(.*)$/.exec(line);
    if (!t) return;
    if (!phase) {
      phase = { name: 'Tasks', story: false, steps: [] };
      phases.push(phase);
    }
    let rest = t[3]!;
    const parallel = /\[P\]/.test(rest);
    const story = /\[(US\d+)\]/.exec(rest)?.[1];
    rest = rest.replace(/\[P\]\s*/g, '').replace(/\[US\d+\]\s*/g, '').trim();
    const dep = /\s*\((?:depends on|after|requires)\s+([^)]*)\)/i.exec(rest);
    if (dep) rest = rest.replace(dep[0], '').trim();
    if (!rest) throw new BatonError(`${file}:${i + 1}: task ${t[2]} has no description`, { hint: 'Write what the task does after its id; nothing was written.' });
    const task: ForeignTask = {
      ref: `${prefix}${t[2]}`,
      source: `${prefix}${t[2]}`,
      title: rest.replace(/`/g, ''),
      context: story ? `Part of user story ${story.slice(2)} in ${file}.` : undefined,
      files: pathsIn(rest),
      phase: phase.name,
      dependsOn: [],
      status: t[1] === ' ' ? 'todo' : 'done',
      labels: story ? [story] : undefined,
      where: `${file}:${i + 1}`,
    };
    if (dep) explicit.set(task, [...dep[1]!.matchAll(/T\d+/g)].map((x) => `${prefix}${x[0]}`));
    if (parallel && run) run.push(task);
    else {
      const step = [task];
      phase.steps.push(step);
      run = parallel ? step : undefined;
    }
  });

  const exits = (p: Phase) => p.steps.at(-1) ?? [];
  const tasks: ForeignTask[] = [];
  let lastBase: Phase | undefined; // the last phase that is not a user story
  let storiesSince: Phase[] = [];
  for (const p of phases) {
    if (!p.steps.length) continue;
    const entry = p.story ? (lastBase ? exits(lastBase) : []) : storiesSince.length ? storiesSince.flatMap(exits) : lastBase ? exits(lastBase) : [];
    p.steps.forEach((step, k) => {
      const before = k === 0 ? entry : p.steps[k - 1]!;
      for (const task of step) {
        task.dependsOn = explicit.get(task) ?? before.map((b) => b.ref);
        tasks.push(task);
      }
    });
    if (p.story) storiesSince.push(p);
    else {
      lastBase = p;
      storiesSince = [];
    }
  }
  if (!tasks.length) throw new BatonError(`${file} has no tasks`, { hint: 'Spec Kit tasks look like `- [ ] T001 Create project structure`; nothing was written.' });
  return { format: 'speckit', tasks };
}
