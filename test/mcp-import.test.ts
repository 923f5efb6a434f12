/** plan_import and review_import through `baton mcp` write what `baton plan --import` and `baton review --import` write. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOD_PLAN, normalizeSnapshot } from './helpers/model-answers.js';
import { makeProject, ok, read, snapshotFiles, write } from './helpers/repo.js';
import { connect, data, type Connection } from './mcp-util.js';

const reviewAnswer = (login: string) => `## Summary

Login was marked done, but no commit backs it.

## Follow-up tasks

### login-tests: Write the login tests

- Follows: ${login}
- Reason: nothing proves login works

## Reopen

- ${login}: no commit recorded

## Decisions

- Sessions expire after 7 days
`;

describe('baton mcp: plan_import and review_import', () => {
  let viaMcp: string;
  let viaCli: string;
  let mcp: Connection;

  beforeAll(async () => {
    [viaMcp, viaCli] = [makeProject(), makeProject()];
    mcp = await connect(viaMcp);
  });
  afterAll(async () => mcp?.close());

  it('applies a plan and a review as the CLI does, and serves the review as a resource', async () => {
    const dry = await data(mcp.client, 'plan_import', { answer: JSON.stringify(GOOD_PLAN), dryRun: true });
    expect(dry.written).toBe(false);
    expect(snapshotFiles(viaMcp)['.agents/tasks/README.md']).toBeDefined();
    expect(Object.keys(snapshotFiles(viaMcp)).filter((f) => /tasks\/T-/.test(f))).toEqual([]);

    const plan = await data(mcp.client, 'plan_import', { answer: JSON.stringify(GOOD_PLAN) });
    expect(plan.created.map((t: any) => t.title)).toEqual(GOOD_PLAN.tasks.map((t) => t.title));
    write(viaCli, 'plan.json', JSON.stringify(GOOD_PLAN));
    const cliPlan = JSON.parse(ok(viaCli, ['plan', '--import', 'plan.json', '--json']));

    const loginMcp = plan.created.find((t: any) => t.title === 'Add the login endpoint').id;
    const loginCli = cliPlan.created.find((t: any) => t.key === 'login').id;
    await data(mcp.client, 'task_set', { id: loginMcp, status: 'done' });
    ok(viaCli, ['task', 'set', loginCli, '--status', 'done']);

    const review = await data(mcp.client, 'review_import', { answer: reviewAnswer(loginMcp) });
    expect(review).toMatchObject({ id: 'R-001', written: true, reopened: [{ id: loginMcp, reason: 'no commit recorded' }], decisions: ['Sessions expire after 7 days'] });
    ok(viaCli, ['review', '--import', '-'], { input: reviewAnswer(loginCli) });

    const cli = normalizeSnapshot(snapshotFiles(viaCli));
    delete cli['plan.json'];
    expect(normalizeSnapshot(snapshotFiles(viaMcp))).toEqual(cli);

    const uris = (await mcp.client.listResources()).resources.map((r) => r.uri);
    expect(uris).toContain('baton://reviews/R-001');
    const res = await mcp.client.readResource({ uri: 'baton://reviews/R-001' });
    expect((res.contents[0] as any).text).toBe(read(viaMcp, '.agents/reviews/R-001.md'));
  });
});
