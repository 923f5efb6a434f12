/**
 * Lessons over time and by hand: a lesson fades when unseen while enough tasks
 * finish and comes back when the problem does; a markdown answer retires one;
 * a bad hand edit is located. (The scripted history's detection, review edits,
 * routing and strategy: lessons-history.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { BUG_FILE, lessonHistory, openId } from './helpers/lesson-history.js';
import { baton, ok, read, write } from './helpers/repo.js';

interface LessonJson { id: string; status: string; faded: boolean; kind: string; files: string[] }
const lessons = (dir: string, ...args: string[]) => (JSON.parse(ok(dir, ['lessons', '--json', ...args])) as { lessons: LessonJson[] });
const section = (prompt: string) => /## Lessons from earlier tasks\n([\s\S]*?)(?=\n## )/.exec(prompt)?.[1] ?? '';

describe('baton lessons: fading, markdown answers, hand edits', () => {
  it('a lesson unseen while `lessons_fade_after` tasks finished stops reaching prompts, and comes back with the problem', () => {
    const dir = lessonHistory();
    ok(dir, ['lessons', '--update']);
    const target = openId('money-file');
    expect(section(ok(dir, ['prompt', target]))).toContain('Invoice totals come out as NaN');
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}lessons_fade_after: 2\n`);
    // Two tasks finish after the lesson was last seen (the history's later results count too).
    ok(dir, ['log', openId('ui'), '--no-commit', '--outcome', 'success', '-m', 'done']);
    ok(dir, ['log', openId('ops'), '--no-commit', '--outcome', 'success', '-m', 'done']);
    expect(ok(dir, ['prompt', target])).not.toContain('Lessons from earlier tasks');
    expect(lessons(dir).lessons).toEqual([]);
    expect(lessons(dir, '--all').lessons.every((l) => l.faded && l.status === 'active')).toBe(true);
    // The same bug once more: the lesson is seen again and comes back.
    ok(dir, ['log', openId('api'), '--no-commit', '--outcome', 'failure', '-m', 'broke', '--bug', `Health totals are NaN: \`sumLines\` again (${BUG_FILE}).`]);
    ok(dir, ['lessons', '--update']);
    expect(section(ok(dir, ['prompt', target]))).toContain('Invoice totals come out as NaN');
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}lessons_fade_after: soon\n`.replace('lessons_fade_after: 2\n', ''));
    const r = baton(dir, ['lessons']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\.agents\/config\.yaml:\d+: `lessons_fade_after` must be a whole number/);
  });

  it('takes lesson changes from a markdown answer, and locates a bad hand edit', () => {
    const dir = lessonHistory();
    ok(dir, ['lessons', '--update']);
    const bug = lessons(dir).lessons.find((l) => l.files.includes(BUG_FILE))!;
    const answer = `## Summary

Fine.

## Lessons

### Retire ${bug.id}

Reason: fixed at the source
`;
    const r = baton(dir, ['review', '--import', '-'], { input: answer });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`lesson retired ${bug.id}`);
    expect(lessons(dir).lessons.map((l) => l.id)).not.toContain(bug.id);

    const text = read(dir, '.agents/memory/lessons.md');
    write(dir, '.agents/memory/lessons.md', text.replace('status: retired', 'status: maybe'));
    const line = text.split('\n').findIndex((l) => l === `## ${bug.id}`) + 1;
    const bad = baton(dir, ['lessons']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(`.agents/memory/lessons.md:${line}`);
    expect(bad.stderr).toContain('`status` must be `active` or `retired`, got `maybe`');
    const doctor = baton(dir, ['doctor']);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout + doctor.stderr).toContain(`.agents/memory/lessons.md:${line}`);
  });
});
