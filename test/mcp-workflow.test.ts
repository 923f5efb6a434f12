/**
 * A whole task through `baton mcp` (next → start → prompt → commit → log → done), in a real
 * repository, compared with the same task done by the CLI in a clone of the same repository.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceListChangedNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, snapshotFiles, taskFile, tempDir } from './helpers/repo.js';
import { cloneForMcp, data, normalize, subjects, textOf, call, type Connection } from './mcp-util.js';

const TOOLS = ['status', 'next', 'task_show', 'task_list', 'pr', 'task_add', 'task_set', 'prompt', 'start', 'log', 'done', 'memory_search', 'review_prompt', 'review_import', 'plan_import', 'review_task', 'ask', 'inbox', 'answer'];

describe('baton mcp: a whole task', () => {
  let viaMcp: string;
  let viaCli: string;
  let id: string;
  let mcp: Connection;

  beforeAll(async () => {
    viaCli = makeProject();
    id = addTask(viaCli, 'Add greeting', '--check', 'test -f greeting.txt', '--requirement', 'Write greeting.txt');
    addTask(viaCli, 'Translate greeting', '-d', id);
    ({ viaMcp, mcp } = await cloneForMcp(viaCli));
  });
  afterAll(async () => mcp?.close());

  it('lists every tool, each with a description and input and output schemas', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([...TOOLS].sort());
    for (const t of tools) {
      expect(t.description?.length, t.name).toBeGreaterThan(60);
      expect(t.inputSchema.type, t.name).toBe('object');
      expect(t.outputSchema?.type, t.name).toBe('object');
    }
    const log = tools.find((t) => t.name === 'log')!;
    expect((log.inputSchema.properties as any).outcome.enum).toEqual(['success', 'partial', 'failure']);
  });

  it('runs next → start → prompt → commit → log → done and writes what the CLI writes', async () => {
    const c = mcp.client;
    const next = await data(c, 'next');
    expect(next.tasks.map((t: any) => t.id)).toEqual([id]);
    const started = await data(c, 'start', { id });
    expect(started).toMatchObject({ id, branch: `task/${id}-add-greeting`, created: true, attempt: 1 });
    const prompt = await call(c, 'prompt', { id });
    expect(textOf(prompt)).toContain('Write greeting.txt');
    expect((prompt.structuredContent as any).text).toBe(textOf(prompt));
    writeFileSync(join(viaMcp, 'greeting.txt'), 'hello\n');
    git(viaMcp, ['add', 'greeting.txt']);
    git(viaMcp, ['commit', '-q', '-m', 'Write the greeting']);
    const logged = await data(c, 'log', { id, outcome: 'success', summary: 'greeting.txt says hello', decisions: ['Plain text, no markup'], bugs: ['None left'] });
    expect(logged).toMatchObject({ id, previous: 'in-progress', status: 'review', entries: 3, onTaskBranch: true });
    const done = await data(c, 'done', { id });
    expect(done).toMatchObject({ id, branch: `task/${id}-add-greeting` });

    // The same steps by hand with the CLI, in the other clone.
    expect(ok(viaCli, ['next', '--json'])).toContain(id);
    ok(viaCli, ['start', id]);
    ok(viaCli, ['prompt', id]);
    writeFileSync(join(viaCli, 'greeting.txt'), 'hello\n');
    git(viaCli, ['add', 'greeting.txt']);
    git(viaCli, ['commit', '-q', '-m', 'Write the greeting']);
    ok(viaCli, ['log', id, '--outcome', 'success', '--summary', 'greeting.txt says hello', '--decision', 'Plain text, no markup', '--bug', 'None left']);
    ok(viaCli, ['done', id]);

    expect(normalize(snapshotFiles(viaMcp))).toEqual(normalize(snapshotFiles(viaCli)));
    expect(read(viaMcp, taskFile(viaMcp, id))).toMatch(/^status: done$/m);
    expect(read(viaMcp, `.agents/memory/${id}.md`)).toMatch(/## \S+ result success\ngreeting\.txt says hello/);
    const branch = `task/${id}-add-greeting`;
    expect(subjects(viaMcp, branch)).toEqual(subjects(viaCli, branch));
    expect(git(viaMcp, ['branch', '--show-current'])).toBe(git(viaCli, ['branch', '--show-current']));
    expect(git(viaMcp, ['status', '--porcelain'])).toBe('');
  });

  it('answers status, task_show and memory_search from the same files', async () => {
    const c = mcp.client;
    const status = await data(c, 'status', { branches: false });
    expect(status.counts.done).toBe(1);
    expect(status.ready.map((t: any) => t.title)).toEqual(['Translate greeting']);
    const shown = await data(c, 'task_show', { id: id.slice(2) });
    expect(shown).toMatchObject({ id, status: 'done', checks: ['test -f greeting.txt'] });
    const found = await data(c, 'memory_search', { id, kinds: ['decision'] });
    expect(found.entries.map((e: any) => e.body)).toEqual(['Plain text, no markup']);
    expect(JSON.parse(ok(viaMcp, ['memory', id, '--kind', 'decision', '--json'])).entries).toEqual(found.entries);
  });

  it('task_list and pr answer what `task list --json` and `pr --json` say; every key is camelCase, as in the CLI', async () => {
    const c = mcp.client;
    const listed = await data(c, 'task_list');
    const { schemaVersion: _v, ...cliList } = JSON.parse(ok(viaMcp, ['task', 'list', '--json']));
    expect(listed).toEqual(cliList);
    expect(listed.tasks.find((t: any) => t.title === 'Translate greeting').dependsOn).toEqual([id]);
    expect((await data(c, 'task_list', { status: 'done' })).tasks.map((t: any) => t.id)).toEqual([id]);
    const pr = await data(c, 'pr', { id });
    const { schemaVersion: _w, ...cliPr } = JSON.parse(ok(viaMcp, ['pr', id, '--json']));
    expect(pr).toEqual(cliPr);
    expect(pr.body).toContain('greeting.txt says hello');
    const snake: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) {
        if (/_/.test(k)) snake.push(k);
        walk(x);
      }
    };
    for (const [name, args] of [['status', {}], ['next', {}], ['task_show', { id }], ['task_list', {}], ['pr', { id }]] as const) walk(await data(c, name, args));
    expect(snake).toEqual([]);
    const status = await data(c, 'status', { branches: false });
    expect(status.ready[0].dependsOn).toEqual([id]);
  });

  it('serves the plan, tasks, memory and reviews as baton:// resources, and the two prompts', async () => {
    const c = mcp.client;
    const uris = (await c.listResources()).resources.map((r) => r.uri);
    expect(uris).toEqual(expect.arrayContaining(['baton://plan.md', `baton://tasks/${id}`, `baton://memory/${id}`]));
    const task = await c.readResource({ uri: `baton://tasks/${id}` });
    expect((task.contents[0] as any).text).toBe(read(viaMcp, taskFile(viaMcp, id)));
    const memory = await c.readResource({ uri: `baton://memory/${id}` });
    expect((memory.contents[0] as any).text).toBe(read(viaMcp, `.agents/memory/${id}.md`));
    const { prompts } = await c.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['review', 'task']);
    const got = await c.getPrompt({ name: 'task', arguments: { id } });
    expect((got.messages[0]!.content as any).text).toBe(read(viaMcp, `.git/baton/prompts/${id}.md`));
    // A budget too small for the memory: entries are left out and listed, as `baton prompt --budget` does.
    // Just over the smallest useful prompt (its size varies by a few tokens with the random task id).
    const budget = Number(/Pass `--budget (\d+)` or more/.exec(baton(viaMcp, ['prompt', id, '--budget', '50']).stderr)?.[1]) + 10;
    const small = await data(c, 'prompt', { id, budget });
    const cli = JSON.parse(ok(viaMcp, ['prompt', id, '--budget', String(budget), '--json']));
    expect(small.budget).toBe(budget);
    expect(small.omitted.length).toBeGreaterThan(0);
    expect({ text: small.text, tokens: small.tokens, omitted: small.omitted }).toEqual({ text: cli.text, tokens: cli.tokens, omitted: cli.omitted });
    const review = await c.getPrompt({ name: 'review' });
    expect((review.messages[0]!.content as any).text).toBe(textOf(await call(c, 'review_prompt')));
  });

  it('notifies a subscribed client when a task file changes, and every client when a file is added', async () => {
    const c = mcp.client;
    const second = (await data(c, 'next')).tasks[0].id as string;
    const uri = `baton://tasks/${second}`;
    const updated = new Promise<string>((resolve) => c.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      if (n.params.uri === uri) resolve(n.params.uri);
    }));
    await c.subscribeResource({ uri });
    // Another process (the CLI) changes the file: the server sees it on disk.
    ok(viaMcp, ['task', 'set', second, '--phase', 'Later']);
    expect(await updated).toBe(uri);
    const listChanged = new Promise<void>((resolve) => c.setNotificationHandler(ResourceListChangedNotificationSchema, () => resolve()));
    const added = JSON.parse(ok(viaMcp, ['task', 'add', 'Third', '--json'])).id as string;
    await listChanged;
    expect((await c.listResources()).resources.map((r) => r.uri)).toContain(`baton://tasks/${added}`);
  });
});
