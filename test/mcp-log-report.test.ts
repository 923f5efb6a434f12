/**
 * The MCP `log` tool given an agent's whole report: read by the same tolerant parser and merged with
 * the fields beside it as `baton log --from REPORT.md` with flags, compared file by file with the CLI
 * in a clone of the same repository.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, snapshotFiles, taskFile, tempDir, write } from './helpers/repo.js';
import { call, cloneForMcp, data, normalize, repoState, subjects, textOf, type Connection } from './mcp-util.js';

/** What a model writes: prose around it, bold labels, its own heading for the summary, "None" for an empty list. */
const REPORT = `Here is my report.

**Outcome:** Succeeded

### What I did
Wrote greeting.txt; it says hello.

## Decisions
- Plain text, no markup
- One line only

## Bugs
None

## Notes
1. It could be translated later
`;

function commitGreeting(dir: string): void {
  write(dir, 'greeting.txt', 'hello\n');
  git(dir, ['add', 'greeting.txt']);
  git(dir, ['commit', '-q', '-m', 'Write the greeting']);
}

describe('baton mcp: `log` with a whole report', () => {
  let viaCli: string;
  let viaMcp: string;
  let greet: string;
  let other: string;
  let mcp: Connection;

  beforeAll(async () => {
    viaCli = makeProject();
    greet = addTask(viaCli, 'Add greeting');
    other = addTask(viaCli, 'Translate greeting');
    ({ viaMcp, mcp } = await cloneForMcp(viaCli));
  });
  afterAll(async () => mcp?.close());

  it('the tool describes the report input', async () => {
    const { tools } = await mcp.client.listTools();
    const log = tools.find((t) => t.name === 'log')!;
    expect((log.inputSchema.properties as any).report.type).toBe('string');
    expect(log.inputSchema.required).toEqual(['id']);
  });

  it('writes what `baton log --from REPORT.md` writes, with fields beside the report merged the same way', async () => {
    await data(mcp.client, 'start', { id: greet });
    commitGreeting(viaMcp);
    // The summary given beside the report replaces the report's; a decision given beside it is added after the report's.
    const logged = await data(mcp.client, 'log', { id: greet, report: REPORT, summary: 'greeting.txt says hello', decisions: ['Kept in the repository root'] });
    expect(logged).toMatchObject({ id: greet, previous: 'in-progress', status: 'review', entries: 5, onTaskBranch: true });

    ok(viaCli, ['start', greet]);
    commitGreeting(viaCli);
    const reportFile = join(tempDir(), 'REPORT.md');
    writeFileSync(reportFile, REPORT);
    ok(viaCli, ['log', greet, '--from', reportFile, '--summary', 'greeting.txt says hello', '--decision', 'Kept in the repository root']);

    expect(normalize(snapshotFiles(viaMcp))).toEqual(normalize(snapshotFiles(viaCli)));
    const branch = `task/${greet}-add-greeting`;
    expect(subjects(viaMcp, branch)).toEqual(subjects(viaCli, branch));
    expect(git(viaMcp, ['status', '--porcelain'])).toBe('');
    // What the shared files hold: the outcome from "Succeeded", the summary from the field, the report's
    // decisions then the field's, no bug entry for "None", the numbered note.
    const memory = read(viaMcp, `.agents/memory/${greet}.md`);
    expect(memory).toMatch(/## \S+ result success\ngreeting\.txt says hello\n/);
    const decisions = [...memory.matchAll(/## \S+ decision\n(.+)/g)].map((m) => m[1]);
    expect(decisions).toEqual(['Plain text, no markup', 'One line only', 'Kept in the repository root']);
    expect(memory).not.toMatch(/ bug\n/);
    expect(memory).toMatch(/## \S+ note\nIt could be translated later\n/);
    expect(read(viaMcp, taskFile(viaMcp, greet))).toMatch(/^status: review$/m);
  });

  it('refuses a report with no outcome with the CLI\'s message and writes nothing; an `outcome` field supplies it', async () => {
    await data(mcp.client, 'start', { id: other });
    const noOutcome = '## Summary\nTranslated half of it.\n\n## Blockers\n- No French speaker to check it\n';
    const before = repoState(viaMcp);
    const refused = await call(mcp.client, 'log', { id: other, report: noOutcome });
    expect(refused.isError).toBe(true);
    expect(repoState(viaMcp)).toEqual(before);
    write(viaCli, 'NO-OUTCOME.md', noOutcome);
    const cli = baton(viaCli, ['log', other, '--from', 'NO-OUTCOME.md']);
    expect(cli.code).toBe(1);
    expect(textOf(refused)).toBe(cli.stderr.trim().replace('`NO-OUTCOME.md`', 'the `report` argument'));
    expect(textOf(refused)).toContain('no outcome found in the `report` argument');

    // The same report with the outcome as a field: logged, and its blocker blocks the task.
    const logged = await data(mcp.client, 'log', { id: other, report: noOutcome, outcome: 'partial' });
    expect(logged).toMatchObject({ id: other, previous: 'in-progress', status: 'blocked', entries: 2 });
    const memory = read(viaMcp, `.agents/memory/${other}.md`);
    expect(memory).toMatch(/## \S+ result partial\nTranslated half of it\.\n/);
    expect(memory).toMatch(/## \S+ blocker\nNo French speaker to check it\n/);
  });
});
