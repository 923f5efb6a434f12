/**
 * Issue 24, done-when (1) and the strategy, on a scripted 60-task history (no
 * model): one bug class in three tasks worded differently each time, a
 * decision contradicted later, and the noise of 57 other tasks. `lessons
 * --update` finds exactly those two; a reviewer's answer (pasted, and from the
 * real openai client against a scripted server) edits them, validated; every
 * open task touching their files, symbols or phase gets them, the others do
 * not; when the lesson keeps firing, the review changes the plan and the
 * prompts say why.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChatServer, modelEnv, type ChatServer } from './helpers/chat-server.js';
import { BUG_FILE, BUG_WORDS, DECISION_SYMBOL, doneId, lessonHistory, openId } from './helpers/lesson-history.js';
import { baton, batonAsync, git, ok, read, repoState, write } from './helpers/repo.js';

interface LessonJson { id: string; status: string; kind: string; text: string; files: string[]; symbols: string[]; phases: string[]; tasks: string[]; reaches: string[]; firing: number; strategy: string | null }
const lessons = (dir: string, ...args: string[]) => JSON.parse(ok(dir, ['lessons', '--json', ...args])) as { lessons: LessonJson[]; added?: string[] };
const section = (prompt: string) => /## Lessons from earlier tasks\n([\s\S]*?)(?=\n## )/.exec(prompt)?.[1] ?? '';
const ids = (...keys: string[]) => keys.map(openId).sort();
/** Several prompts at once: each is its own process. */
const prompts = async (dir: string, keys: string[]) => Object.fromEntries(await Promise.all(keys.map(async (k) => {
  const r = await batonAsync(dir, ['prompt', openId(k)]);
  if (r.code !== 0) throw new Error(r.stderr);
  return [k, r.stdout] as const;
})));

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('lessons over a scripted 60-task history', () => {
  let dir: string;
  let bug: LessonJson;
  let contra: LessonJson;
  beforeAll(() => {
    dir = lessonHistory();
  });

  it('finds the bug class and the contradicted decision, nothing else, and routes each to exactly the tasks touching it', async () => {
    const r = lessons(dir, '--update');
    expect(r.added).toHaveLength(2);
    bug = r.lessons.find((l) => l.files.includes(BUG_FILE))!;
    contra = r.lessons.find((l) => l.kind === 'contradiction')!;
    expect(r.lessons).toEqual(expect.arrayContaining([bug, contra]));
    // The three wordings are one lesson, quoting each (the implementer must recognise it), with where it lives.
    expect(bug.tasks).toEqual([doneId(12), doneId(31), doneId(47)]);
    expect(bug.symbols).toEqual(['sumLines']);
    for (const w of BUG_WORDS) expect(bug.text).toContain(w);
    expect(contra).toMatchObject({ symbols: [DECISION_SYMBOL], tasks: [doneId(5), doneId(40)] });
    expect(contra.text).toMatch(/half-even[\s\S]*supersedes/);
    // Committed alone, like every command that changes the plan's files; a second pass changes nothing.
    expect(git(dir, ['log', '-1', '--format=%s'])).toContain('Lessons: 2 added, 0 updated');
    const file = read(dir, '.agents/memory/lessons.md');
    expect(file).toContain(`## ${bug.id}\nstatus: active\nkind: hotspot\nfiles: ${BUG_FILE}\nsymbols: sumLines\n`);
    expect(file).toMatch(new RegExp(`\nevidence: .*\\b${doneId(12)} \\d{4}-[\\d-]+T[\\d:]+Z bug`));
    expect(lessons(dir, '--update').added).toEqual([]);
    expect(read(dir, '.agents/memory/lessons.md')).toBe(file);

    // Which open tasks each reaches: by file (named or in the text), by symbol; never by a longer name that contains it.
    expect(bug.reaches.sort()).toEqual(ids('money-file', 'sum-symbol', 'both', 'named-file'));
    expect(contra.reaches.sort()).toEqual(ids('round-symbol', 'both'));
    const p = await prompts(dir, ['both', 'sum-symbol', 'near-miss']);
    expect(section(p.both!)).toContain(BUG_WORDS[0]);
    expect(section(p.both!)).toContain('half-even');
    expect(section(p['sum-symbol']!)).toContain(BUG_WORDS[2]);
    expect(section(p['sum-symbol']!)).not.toContain('half-even');
    expect(p['near-miss']).not.toContain('Lessons from earlier tasks');
    // Within the budget like other memory: at the smallest budget that works, the lessons give way, and the note says so.
    const smallest = Number(/--budget (\d+)/.exec(baton(dir, ['prompt', openId('both'), '--budget', '50']).stderr)?.[1]);
    const tight = JSON.parse(ok(dir, ['prompt', openId('both'), '--budget', String(smallest), '--json'])) as { text: string; omitted: { kind: string }[] };
    expect(tight.text).not.toContain('Lessons from earlier tasks');
    expect(tight.omitted.filter((o) => o.kind === 'lesson')).toHaveLength(2);
    expect(tight.text).toMatch(/\b2 lessons\b/);
  });

  it('takes a reviewer\'s edits, pasted or by API, validated: a bad answer names its line and changes nothing', async () => {
    const before = repoState(dir);
    const pasted = `## Summary\n\nMoney again.\n\n## Lessons\n\n### Reword ${bug.id}\n\nCheck amounts.\n\n### Retire L-000000\n\nReason: gone\n`;
    write(dir, 'answer.md', pasted);
    const bad = baton(dir, ['review', '--import', 'answer.md']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('answer.md:11: the review from answer.md was rejected: lessons[1] (retire) names `L-000000`, which is not a lesson');
    ok(dir, ['lessons']); // still readable
    expect({ ...repoState(dir), status: '' }).toEqual({ ...before, status: '' });
    expect(repoState(dir).status).toBe('?? answer.md\n');

    // By API: the first answer adds a lesson that would reach no prompt; the model is told why and answers again.
    const good = {
      summary: 'Money keeps breaking on missing amounts.',
      lessons: [
        { action: 'reword', id: bug.id, text: `A line may have no amount: \`sumLines\` in ${BUG_FILE} must skip or reject it, never add undefined (REWORDED-MONEY).` },
        { action: 'retire', id: contra.id, reason: 'settled: half-even everywhere' },
        { action: 'add', text: 'Billing amounts are integer cents (PHASE-BILLING).', phases: ['Billing'] },
      ],
    };
    server = await startChatServer([
      { content: JSON.stringify({ ...good, lessons: [{ action: 'add', text: 'Be careful.' }] }) },
      { content: JSON.stringify(good) },
    ]);
    const r = await batonAsync(dir, ['review', '--json'], { env: modelEnv(server) });
    expect(r.code, r.stderr).toBe(0);
    expect(server.requests[1]!.body.messages.at(-1)!.content).toContain('names no `files`, `symbols` or `phases`');
    expect(server.requests[0]!.body.messages[1]!.content).toContain(`- ${bug.id} [hotspot]`);

    const after = lessons(dir).lessons;
    expect(after.map((l) => l.id)).not.toContain(contra.id); // retired: listed only with --all
    expect(lessons(dir, '--all').lessons.find((l) => l.id === contra.id)).toMatchObject({ status: 'retired', reaches: [] });
    expect(read(dir, '.agents/reviews/R-001.md')).toContain(`- retired ${contra.id} (R-001: settled: half-even everywhere)`);
    const added = after.find((l) => l.text.includes('PHASE-BILLING'))!;
    expect(added.reaches).toEqual(ids('billing-phase'));
    expect(after.find((l) => l.id === bug.id)!.reaches.sort()).toEqual(ids('money-file', 'sum-symbol', 'both', 'named-file'));
    const p = await prompts(dir, ['money-file', 'billing-phase', 'round-symbol', 'ui']);
    expect(section(p['money-file']!)).toContain('REWORDED-MONEY');
    expect(section(p['money-file']!)).not.toContain(BUG_WORDS[0]);
    expect(section(p['billing-phase']!)).toContain('PHASE-BILLING');
    expect(p['round-symbol']).not.toContain('Lessons from earlier tasks');
    expect(p.ui).not.toContain('Lessons from earlier tasks');
    // A later detection pass keeps the reviewer's wording and the retirement.
    ok(dir, ['lessons', '--update']);
    expect(read(dir, '.agents/memory/lessons.md')).toContain('REWORDED-MONEY');
    expect(lessons(dir).lessons.map((l) => l.id)).not.toContain(contra.id);
  });

  it('when the lesson keeps firing, the review changes the plan (validated) and the prompts say why', async () => {
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml')}lessons_strategy_after: 4\n`);
    ok(dir, ['log', openId('money-file'), '--no-commit', '--outcome', 'failure', '-m', 'Conversion broke',
      '--bug', 'Converted totals are NaN again: `sumLines` got a line with no amount.']);
    const money = {
      key: 'money-type', title: 'Introduce a Money type', phase: 'Core', files: [BUG_FILE],
      context: 'Amounts are bare numbers today.', requirements: ['A `Money` value: integer cents and a currency.'],
    };
    const answer = (constraint: Record<string, string>) => ({
      summary: 'The missing-amount bug came back a fourth time.',
      strategy: [{ lesson: bug.id, reason: 'amounts are bare numbers, so nothing stops a missing one (WHY-MONEY)', tasks: [money], constraints: [constraint] }],
    });
    server = await startChatServer([
      { content: JSON.stringify(answer({ text: 'Amounts are `Money` values.', replaces: 'Floats are fine' })) },
      { content: JSON.stringify(answer({ text: 'Amounts are `Money` values, never bare numbers (CONS-MONEY).' })) },
    ]);
    const r = await batonAsync(dir, ['review', '--json'], { env: modelEnv(server) });
    expect(r.code, r.stderr).toBe(0);
    // The review was told the lesson keeps firing; a constraint it "replaces" that the plan does not say was sent back.
    expect(server.requests[0]!.body.messages[1]!.content).toMatch(new RegExp(`# Lessons that keep firing[^\\n]*\\n\\n- ${bug.id} [^\\n]*Fired in 4 tasks`));
    expect(server.requests[1]!.body.messages.at(-1)!.content).toContain('strategy[0].constraints[0] replaces "Floats are fine", which plan.md\'s Constraints do not say');
    const out = JSON.parse(r.stdout) as { id: string; strategy: { lesson: string; tasks: string[]; fired: string[] }[] };
    expect(out.strategy).toHaveLength(1);
    expect(out.strategy[0]!.fired).toHaveLength(4);
    const [moneyTask] = out.strategy[0]!.tasks;
    expect(read(dir, '.agents/plan.md')).toContain(`- Amounts are \`Money\` values, never bare numbers (CONS-MONEY). (${out.id}, because lesson ${bug.id} kept firing)`);
    expect(read(dir, `.agents/reviews/${out.id}.md`)).toContain(`## Strategy\n\n- lesson ${bug.id} kept firing (4 tasks:`);

    // The new task says why it exists; a task the lesson reaches says the plan changed and why; an unrelated one does not.
    const newPrompt = ok(dir, ['prompt', moneyTask!]);
    expect(newPrompt).toContain(`A review filed this task: lesson ${bug.id} kept firing (4 tasks:`);
    expect(newPrompt).toContain('WHY-MONEY');
    const p = await prompts(dir, ['sum-symbol', 'ui']);
    expect(section(p['sum-symbol']!)).toContain(`This kept happening, so review ${out.id} changed the plan: added the task "Introduce a Money type" (${moneyTask})`);
    expect(section(p['sum-symbol']!)).toContain('WHY-MONEY');
    expect(p.ui).not.toContain('WHY-MONEY');
    expect(p.ui).toContain('CONS-MONEY'); // a constraint binds every task
    // Changed once for it: the count starts again, and the next review is not told it keeps firing.
    expect(lessons(dir).lessons.find((l) => l.id === bug.id)).toMatchObject({ firing: 0, strategy: expect.stringContaining(`${out.id} `) });
    expect(ok(dir, ['review', '--prompt'])).toMatch(/# Lessons that keep firing[^\n]*\n\n- none/);
  });
});
