/**
 * Planning by copy and paste: `--prompt` prints what the API would get,
 * `--import` reads an answer back (JSON among prose, or markdown) and writes
 * exactly what the API path writes. Also `--update` and `--dry-run`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, readFileSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { batonAsync, baton, makeProject, ok, read, snapshotFiles, write, addTask, git, tempDir } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { CYCLIC_PLAN, GOOD_PLAN, GOOD_PLAN_MARKDOWN, normalizeSnapshot, REQUIREMENTS } from './helpers/model-answers.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function project(): string {
  const dir = makeProject();
  write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
  return dir;
}

describe('baton plan by copy and paste', () => {
  it('--prompt prints the exact text the API path sends', async () => {
    server = await startChatServer([{ content: JSON.stringify(GOOD_PLAN) }]);
    const dir = project();
    const printed = ok(dir, ['plan', '--from', 'REQUIREMENTS.md', '--prompt']);
    expect(printed).toContain('Users log in and keep todo lists');
    expect(printed).toContain('"depends_on"'); // the schema
    const r = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md', '--dry-run'], { env: modelEnv(server) });
    expect(r.code, r.stderr).toBe(0);
    const sent = server.requests[0]!.body.messages.map((m) => m.content.trim()).join('\n\n---\n\n');
    expect(printed).toBe(`${sent}\n`);
  });

  it('--prompt --copy puts the same text on the clipboard, and names the tools when there is none', () => {
    const dir = project();
    const printed = ok(dir, ['plan', '--from', 'REQUIREMENTS.md', '--prompt']);
    // A bin folder with git and a pbcopy that writes what it receives to a file.
    const bin = tempDir('baton-bin-');
    symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), join(bin, 'git'));
    const clip = join(bin, 'clipboard.txt');
    write(bin, 'pbcopy', `#!/bin/sh\ncat > "${clip}"\n`);
    chmodSync(join(bin, 'pbcopy'), 0o755);
    const copied = baton(dir, ['plan', '--from', 'REQUIREMENTS.md', '--prompt', '--copy'], { env: { PATH: `${bin}:/bin` } });
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toBe('');
    expect(copied.stderr).toContain('Copied the prompt');
    expect(copied.stderr).toContain('`pbcopy`');
    expect(readFileSync(clip, 'utf8')).toBe(printed);

    const none = tempDir('baton-bin-');
    symlinkSync(join(bin, 'git'), join(none, 'git'));
    const r = baton(dir, ['plan', '--from', 'REQUIREMENTS.md', '--prompt', '--copy'], { env: { PATH: none } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no clipboard tool found');
    expect(r.stderr).toContain('`xclip`');
  });

  it('--import of JSON wrapped in prose writes the same files as the API path', async () => {
    server = await startChatServer([{ content: JSON.stringify(GOOD_PLAN) }]);
    const viaApi = project();
    const r = await batonAsync(viaApi, ['plan', '--from', 'REQUIREMENTS.md'], { env: modelEnv(server) });
    expect(r.code, r.stderr).toBe(0);

    const viaPaste = project();
    write(viaPaste, 'answer.md', `Here is your plan:\n\n\`\`\`json\n${JSON.stringify(GOOD_PLAN, null, 2)}\n\`\`\`\n\nTell me if you want changes.`);
    const out = ok(viaPaste, ['plan', '--import', 'answer.md']);
    expect(out).toContain('Plan: 3 new');
    expect(normalizeSnapshot(snapshotFiles(viaPaste))).toEqual(normalizeSnapshot(snapshotFiles(viaApi)));
  });

  it('--import reads a markdown answer (no JSON at all) from stdin into the same files', () => {
    const fromJson = project();
    write(fromJson, 'answer.json', JSON.stringify(GOOD_PLAN));
    ok(fromJson, ['plan', '--import', 'answer.json']);
    const fromMarkdown = project();
    ok(fromMarkdown, ['plan', '--import', '-'], { input: GOOD_PLAN_MARKDOWN });
    expect(normalizeSnapshot(snapshotFiles(fromMarkdown))).toEqual(normalizeSnapshot(snapshotFiles(fromJson)));
  });

  it('--import refuses a plan with a cycle, names the tasks by key, and writes nothing', () => {
    const dir = project();
    write(dir, 'answer.json', JSON.stringify(CYCLIC_PLAN));
    const before = snapshotFiles(dir);
    const r = baton(dir, ['plan', '--import', 'answer.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dependency cycle');
    expect(r.stderr).toContain('`a`');
    expect(r.stderr).toContain('Nothing was written');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('--import says what is wrong with an answer that is neither JSON nor the markdown shape', () => {
    const dir = project();
    const before = snapshotFiles(dir);
    const r = baton(dir, ['plan', '--import', '-'], { input: 'I could not make a plan, sorry.' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stdin is not a usable plan');
    expect(snapshotFiles(dir)).toEqual(before);
  });

  it('refuses to replace an existing plan without --update', () => {
    const dir = project();
    addTask(dir, 'Existing work');
    write(dir, 'answer.json', JSON.stringify(GOOD_PLAN));
    const r = baton(dir, ['plan', '--import', 'answer.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the plan already has 1 task');
    expect(r.stderr).toContain('--update');
  });
});

describe('baton plan --update', () => {
  it('adds and amends tasks, keeps in-progress and done ones, and --dry-run shows it without writing', () => {
    const dir = project();
    const started = addTask(dir, 'Set up CI', '--phase', 'Ops');
    const open = addTask(dir, 'Write the README', '--phase', 'Docs');
    ok(dir, ['task', 'set', started, '--status', 'in-progress']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'tasks']);
    const update = {
      ...GOOD_PLAN,
      tasks: [
        { id: started, title: 'Set up CI and CD', phase: 'Ops' },
        { id: open, title: 'Write the README and a quick start', phase: 'Docs', depends_on: ['api'] },
        { key: 'api', title: 'Add the API skeleton', phase: 'API', depends_on: [started] },
      ],
    };
    write(dir, 'answer.json', JSON.stringify(update));
    const before = snapshotFiles(dir);

    const dry = ok(dir, ['plan', '--update', '--import', 'answer.json', '--dry-run']);
    expect(dry).toContain('Plan: 1 new, 1 amended, 1 kept');
    expect(dry).toMatch(/\+ T-[0-9a-f]+ {2}Add the API skeleton {2}\[API\] {2}after /);
    expect(dry).toContain(`~ ${open}  Write the README and a quick start  (title, depends_on)`);
    expect(dry).toContain(`= ${started}  Set up CI  (in-progress: not changed)`);
    expect(dry).toContain('Dry run: nothing was written.');
    expect(snapshotFiles(dir)).toEqual(before);

    const json = JSON.parse(ok(dir, ['plan', '--update', '--import', 'answer.json', '--json'])) as { created: { id: string }[] };
    const apiId = json.created[0]!.id;
    const tasks = (JSON.parse(ok(dir, ['task', 'list', '--json'])) as { tasks: { id: string; title: string; status: string; dependsOn: string[] }[] }).tasks;
    const byId = Object.fromEntries(tasks.map((t) => [t.id, t]));
    expect(byId[started]).toMatchObject({ title: 'Set up CI', status: 'in-progress' });
    expect(byId[open]).toMatchObject({ title: 'Write the README and a quick start', dependsOn: [apiId] });
    expect(byId[apiId]).toMatchObject({ dependsOn: [started] });
    expect(read(dir, '.agents/plan.md')).toContain('## Goal\n\nA small todo API');
  });
});
