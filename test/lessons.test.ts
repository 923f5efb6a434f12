/**
 * Lessons, as a person meets them: a history written with baton's own commands
 * (a dozen tasks; one bug class comes back in three, a decision is later
 * contradicted) gives those lessons with no model; a review's answer edits them;
 * from then on a task touching the affected files gets them in its prompt and an
 * unrelated task does not.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, write } from './helpers/repo.js';

interface LessonJson { id: string; status: string; faded: boolean; kind: string; text: string; files: string[]; symbols: string[]; phases: string[]; tasks: string[] }
const lessons = (dir: string, ...args: string[]) => (JSON.parse(ok(dir, ['lessons', '--json', ...args])) as { lessons: LessonJson[]; added?: string[] });
const section = (prompt: string) => /## Lessons from earlier tasks\n([\s\S]*?)(?=\n## )/.exec(prompt)?.[1] ?? '';

/** The scripted history: twelve tasks, their results, bugs and decisions logged with `baton log`. */
function history(): { dir: string; ids: Record<string, string> } {
  const dir = makeProject();
  const ids: Record<string, string> = {};
  const add = (key: string, title: string, ...args: string[]) => (ids[key] = addTask(dir, title, ...args));
  add('parse', 'Parse amounts', '--phase', 'Money', '--file', 'src/money.ts');
  add('invoice', 'Invoice totals', '--phase', 'Billing', '--file', 'src/invoice.ts');
  add('refund', 'Refunds', '--phase', 'Billing', '--file', 'src/refund.ts');
  add('tax', 'Tax rates', '--phase', 'Billing', '--file', 'src/tax.ts');
  add('report', 'Monthly report', '--phase', 'Reports', '--file', 'src/report.ts');
  add('login', 'Login form', '--phase', 'UI', '--file', 'src/ui/login.tsx');
  add('theme', 'Dark theme', '--phase', 'UI', '--file', 'src/ui/theme.css');
  add('config', 'Config loader', '--phase', 'Core', '--file', 'src/config.ts');
  add('cli', 'CLI flags', '--phase', 'Core', '--file', 'src/cli.ts');
  add('docs', 'User guide', '--phase', 'Docs', '--file', 'docs/guide.md');
  add('export', 'CSV export', '--phase', 'Reports', '--file', 'src/export.ts');
  add('audit', 'Audit log', '--phase', 'Core', '--file', 'src/audit.ts');
  const log = (key: string, ...args: string[]) => ok(dir, ['log', ids[key]!, '--no-commit', ...args]);
  log('parse', '--outcome', 'partial', '-m', 'Amounts parse', '--bug', "TypeError: Cannot read properties of undefined (reading 'cents') at src/money.ts:42",
    '--decision', '`rounding` is half-up');
  log('login', '--outcome', 'success', '-m', 'Form works', '--bug', "ENOENT: no such file or directory, open 'config/dev.json'");
  log('invoice', '--outcome', 'partial', '-m', 'Totals add up', '--bug', "TypeError: Cannot read properties of undefined (reading 'amount') at src/money.ts:17");
  log('theme', '--outcome', 'success', '-m', 'Dark theme done', '--decision', 'Colours live in `src/ui/theme.css`');
  log('config', '--outcome', 'success', '-m', 'Loads YAML', '--decision', '`config format` is YAML');
  log('refund', '--outcome', 'success', '-m', 'Refunds work', '--bug', "TypeError: Cannot read properties of undefined (reading 'total') at src/money.ts:99");
  log('cli', '--outcome', 'success', '-m', 'Flags parse', '--note', 'yargs strict mode catches typos');
  log('tax', '--outcome', 'success', '-m', 'Rates applied', '--decision', "`rounding` is half-even (banker's rounding), instead of half-up");
  log('docs', '--outcome', 'success', '-m', 'Guide written', '--decision', '`config format` is YAML, version 2');
  return { dir, ids };
}

describe('baton lessons: a scripted history, with no model', () => {
  let dir: string;
  let ids: Record<string, string>;
  beforeAll(() => ({ dir, ids } = history()));

  it('finds the bug class that came back in three tasks and the contradicted decision, and nothing else', () => {
    expect(lessons(dir).lessons).toEqual([]); // nothing until a pass looks
    const r = lessons(dir, '--update');
    expect(r.lessons.map((l) => l.kind).sort()).toEqual(['contradiction', 'error']);
    const error = r.lessons.find((l) => l.kind === 'error')!;
    expect(error.tasks.sort()).toEqual([ids.parse, ids.invoice, ids.refund].sort());
    expect(error.files).toEqual(['src/money.ts']);
    expect(error.text).toContain('Cannot read properties of undefined');
    const contra = r.lessons.find((l) => l.kind === 'contradiction')!;
    expect(contra.symbols).toEqual(['rounding']);
    expect(contra.tasks).toEqual([ids.parse, ids.tax]);
    expect(contra.text).toMatch(/half-even[\s\S]*supersedes/);
    // A bug seen once, and a decision that only adds to an earlier one, are no lessons.
    expect(JSON.stringify(r.lessons)).not.toMatch(/ENOENT|config format/);

    // Committed alone, like every command that changes the plan's files.
    expect(git(dir, ['log', '-1', '--format=%s'])).toContain('Lessons: 2 added, 0 updated');
    expect(git(dir, ['status', '--short', '--', '.agents/memory/lessons.md'])).toBe('');
    const file = read(dir, '.agents/memory/lessons.md');
    expect(file).toContain(`## ${error.id}\nstatus: active\nkind: error\nfiles: src/money.ts`);
    expect(file).toMatch(new RegExp(`\\nevidence: .*\\b${ids.parse} \\d{4}-[\\d-]+T[\\d:]+Z bug`));
    // A second pass over the same history changes nothing.
    expect(lessons(dir, '--update').added).toEqual([]);
    expect(read(dir, '.agents/memory/lessons.md')).toBe(file);
    // lessons.md is no task's memory: doctor and status do not take it for one.
    expect(ok(dir, ['doctor'])).not.toContain('lessons');
  });

  it('routes each lesson into the prompts of tasks touching its files or symbols, and into no other', () => {
    const money = addTask(dir, 'Currency conversion', '--phase', 'Money', '--file', 'src/money.ts');
    const rounding = addTask(dir, 'Round invoice lines', '--phase', 'Billing', '--context', 'Apply `rounding` to each invoice line.');
    const unrelated = addTask(dir, 'Keyboard shortcuts', '--phase', 'UI', '--file', 'src/ui/keys.ts');
    const m = section(ok(dir, ['prompt', money]));
    expect(m).toContain('Cannot read properties of undefined');
    expect(m).not.toContain('half-even');
    expect(section(ok(dir, ['prompt', rounding]))).toContain('half-even');
    // Within the budget like other memory: at the smallest budget that works, the lesson gives way, and the note says so.
    const smallest = Number(/--budget (\d+)/.exec(baton(dir, ['prompt', money, '--budget', '50']).stderr)?.[1]);
    const tight = JSON.parse(ok(dir, ['prompt', money, '--budget', String(smallest), '--json'])) as { text: string; omitted: { kind: string }[] };
    expect(tight.text).not.toContain('Lessons from earlier tasks');
    expect(tight.omitted.filter((o) => o.kind === 'lesson')).toHaveLength(1);
    expect(tight.text).toMatch(/\b1 lesson\b/);
    const u = ok(dir, ['prompt', unrelated]);
    expect(u).not.toContain('Lessons from earlier tasks');
    expect(u).not.toContain('Cannot read properties');
  });

  it('gives the reviewer the lessons and takes back an answer that rewords, adds and retires them', () => {
    const before = lessons(dir).lessons;
    const error = before.find((l) => l.kind === 'error')!;
    const contra = before.find((l) => l.kind === 'contradiction')!;
    const prompt = ok(dir, ['review', '--prompt']);
    expect(prompt).toContain('# Lessons kept');
    expect(prompt).toContain(`- ${error.id} [error]`);

    // An answer naming a lesson that does not exist is refused whole: nothing written.
    const lessonsBefore = read(dir, '.agents/memory/lessons.md');
    const bad = baton(dir, ['review', '--import', '-'], { input: JSON.stringify({ summary: 'ok', lessons: [{ action: 'retire', id: 'L-000000', reason: 'x' }] }) });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('lessons[0] (retire) names `L-000000`, which is not a lesson');
    expect(existsSync(join(dir, '.agents/reviews/R-001.md'))).toBe(false);
    expect(read(dir, '.agents/memory/lessons.md')).toBe(lessonsBefore);

    const answer = {
      summary: 'Money keeps breaking on missing fields.',
      lessons: [
        { action: 'reword', id: error.id, text: 'Amounts may be undefined: check for a missing `cents`/`amount` field in src/money.ts before reading it.' },
        { action: 'add', text: 'Billing code rounds only through `roundMoney`.', phases: ['Billing'] },
        { action: 'retire', id: contra.id, reason: 'settled: half-even everywhere' },
      ],
    };
    const r = baton(dir, ['review', '--import', '-', '--json'], { input: JSON.stringify(answer) });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { lessons: { added: string[]; reworded: string[]; retired: string[] } };
    expect(out.lessons.reworded).toEqual([error.id]);
    expect(out.lessons.retired).toEqual([contra.id]);
    expect(out.lessons.added).toHaveLength(1);
    expect(read(dir, '.agents/reviews/R-001.md')).toContain(`- retired ${contra.id} (R-001: settled: half-even everywhere)`);

    const after = lessons(dir).lessons;
    expect(after.map((l) => l.id)).not.toContain(contra.id); // retired: listed only with --all
    expect(lessons(dir, '--all').lessons.find((l) => l.id === contra.id)).toMatchObject({ status: 'retired', faded: true });

    // From then on: the reworded text reaches the money task; the retired lesson reaches no one; the phase lesson reaches Billing.
    const money = addTask(dir, 'Money formatting', '--phase', 'Money', '--file', 'src/money.ts');
    const billing = addTask(dir, 'Credit notes', '--phase', 'Billing', '--context', 'Apply `rounding` to credit notes.');
    const unrelated = addTask(dir, 'Settings page', '--phase', 'UI', '--file', 'src/ui/settings.tsx');
    const m = section(ok(dir, ['prompt', money]));
    expect(m).toContain('Amounts may be undefined');
    expect(m).not.toContain('The same error came back');
    const b = section(ok(dir, ['prompt', billing]));
    expect(b).toContain('rounds only through `roundMoney`');
    expect(b).not.toContain('half-even');
    expect(ok(dir, ['prompt', unrelated])).not.toContain('Lessons from earlier tasks');
    // A later detection pass keeps the reviewer's wording and the retirement.
    ok(dir, ['lessons', '--update']);
    expect(read(dir, '.agents/memory/lessons.md')).toContain('Amounts may be undefined');
    expect(lessons(dir).lessons.map((l) => l.id)).not.toContain(contra.id);
  });
});

describe('baton lessons: fading, markdown answers, hand edits', () => {
  it('a lesson unseen while `lessons_fade_after` tasks finished stops reaching prompts', () => {
    const { dir, ids } = history();
    ok(dir, ['lessons', '--update']);
    const target = addTask(dir, 'Money rounding', '--file', 'src/money.ts');
    expect(section(ok(dir, ['prompt', target]))).toContain('Cannot read properties');
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}lessons_fade_after: 2\n`);
    // Two tasks finish after the lesson was last seen (the history's later results count too).
    const a = addTask(dir, 'Later one');
    const b = addTask(dir, 'Later two');
    ok(dir, ['log', a, '--no-commit', '--outcome', 'success', '-m', 'done']);
    ok(dir, ['log', b, '--no-commit', '--outcome', 'success', '-m', 'done']);
    expect(ok(dir, ['prompt', target])).not.toContain('Lessons from earlier tasks');
    expect(lessons(dir).lessons).toEqual([]);
    expect(lessons(dir, '--all').lessons.every((l) => l.faded && l.status === 'active')).toBe(true);
    // The same bug once more: the lesson is seen again and comes back.
    ok(dir, ['log', ids.export!, '--no-commit', '--outcome', 'failure', '-m', 'broke', '--bug', "TypeError: Cannot read properties of undefined (reading 'rate') at src/money.ts:7"]);
    ok(dir, ['lessons', '--update']);
    expect(section(ok(dir, ['prompt', target]))).toContain('Cannot read properties');
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}lessons_fade_after: soon\n`.replace('lessons_fade_after: 2\n', ''));
    const r = baton(dir, ['lessons']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\.agents\/config\.yaml:\d+: `lessons_fade_after` must be a whole number/);
  });

  it('takes lesson changes from a markdown answer, and locates a bad hand edit', () => {
    const { dir } = history();
    ok(dir, ['lessons', '--update']);
    const error = lessons(dir).lessons.find((l) => l.kind === 'error')!;
    const answer = `## Summary

Fine.

## Lessons

### Retire ${error.id}

Reason: fixed at the source
`;
    const r = baton(dir, ['review', '--import', '-'], { input: answer });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`lesson retired ${error.id}`);
    expect(lessons(dir).lessons.map((l) => l.id)).not.toContain(error.id);

    const text = read(dir, '.agents/memory/lessons.md');
    write(dir, '.agents/memory/lessons.md', text.replace('status: retired', 'status: maybe'));
    const line = text.split('\n').findIndex((l) => l === `## ${error.id}`) + 1;
    const bad = baton(dir, ['lessons']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(`.agents/memory/lessons.md:${line}`);
    expect(bad.stderr).toContain('`status` must be `active` or `retired`, got `maybe`');
    const doctor = baton(dir, ['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout + doctor.stderr).toContain(`.agents/memory/lessons.md:${line}`);
  });
});
