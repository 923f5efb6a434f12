/** A review pasted back as markdown (a chat model that ignored the JSON request), read from stdin. */
import { describe, expect, it } from 'vitest';
import { GOOD_PLAN } from './helpers/model-answers.js';
import { baton, makeProject, ok, read, taskFile, write } from './helpers/repo.js';

describe('baton review --import - with a markdown answer', () => {
  it('files the follow-up, reopens the task and records the decision, as a JSON answer would', () => {
    const dir = makeProject();
    write(dir, 'plan.json', JSON.stringify(GOOD_PLAN));
    const plan = JSON.parse(ok(dir, ['plan', '--import', 'plan.json', '--json'])) as { created: { key: string; id: string }[] };
    const login = plan.created.find((c) => c.key === 'login')!.id;
    ok(dir, ['task', 'set', login, '--status', 'done']);

    const answer = `Sure, here is my review.

## Summary

Login was marked done, but no commit backs it.

## Follow-up tasks

### login-tests: Write the login tests

- Follows: ${login}
- Reason: nothing proves login works
- Success criteria:
  - \`npm test -- login\` passes

## Reopen

- ${login}: no commit recorded

## Decisions

- Sessions expire after 7 days

Let me know if you want the plan changed too.
`;
    const r = baton(dir, ['review', '--import', '-'], { input: answer });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\+ T-[0-9a-f]+ {2}Write the login tests {2}\(follows /);
    expect(r.stdout).toContain(`↺ ${login}  reopened: no commit recorded`);

    const review = read(dir, '.agents/reviews/R-001.md');
    expect(review).toContain('Login was marked done, but no commit backs it.');
    expect(read(dir, taskFile(dir, login))).toContain('status: todo');
    expect(read(dir, '.agents/memory/project.md')).toContain('Sessions expire after 7 days');
    const tasks = (JSON.parse(ok(dir, ['task', 'list', '--json'])) as { tasks: { id: string; title: string }[] }).tasks;
    const filed = tasks.find((t) => t.title === 'Write the login tests')!;
    expect(read(dir, taskFile(dir, filed.id))).toContain('- [ ] `npm test -- login` passes');
  });
});
