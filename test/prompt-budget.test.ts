/**
 * `baton prompt` within a token budget: with a large memory the least relevant
 * entries go first, the prompt says what it left out and how to read it, the
 * count is the real tokenizer's; the same files give the same bytes; templates
 * can be overridden per project.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, read, snapshotFiles, write } from './helpers/repo.js';

function entries(kind: string, n: number, text: (i: number) => string, day = '2026-11-01'): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const time = new Date(Date.parse(`${day}T00:00:00Z`) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    out.push(`## ${time} ${kind}\n${text(i)}\n`);
  }
  return out.join('\n');
}

function bigProject(): { dir: string; a: string; b: string } {
  const dir = makeProject();
  const a = addTask(dir, 'Schema');
  const b = addTask(dir, 'Login', '-d', a, '--file', 'src/login.ts');
  const path = (id: string) => `.agents/memory/${id}.md`;
  write(dir, path(a), `# Memory: ${a}\n\n## 2026-11-02T09:00:00Z result success\nSchema migrated; run \`npm run migrate\`.\n\n## 2026-11-02T09:00:01Z decision\nUser ids are UUIDv7.\n`);
  write(dir, path(b), `# Memory: ${b}\n\n${entries('bug', 8, (i) => `Attempt ${i} broke the cookie parser in a different way.`, '2026-11-03')}`);
  write(dir, '.agents/memory/project.md', `# Memory: project\n\n${entries('decision', 300, (i) =>
    i === 150 ? 'src/login.ts must never log passwords.' : `Project decision number ${i}: use the shared logger for module ${i} and keep its output structured.`)}`);
  ok(dir, ['task', 'set', a, '--status', 'done']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'big memory']);
  return { dir, a, b };
}

describe('baton prompt budget', () => {
  it('drops the least relevant memory first to fit, and says what it left out', () => {
    const { dir, a, b } = bigProject();
    const full = JSON.parse(ok(dir, ['prompt', b, '--json', '--budget', '100000']));
    expect(full.omitted).toEqual([]);
    expect(full.tokens).toBeGreaterThan(8000);

    const r = baton(dir, ['prompt', b, '--budget', '3000']);
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(countTokens(text)).toBeLessThanOrEqual(3000);
    expect(r.stderr).toMatch(/\d+ memory entries left out to fit the budget/);
    // Dependencies' results and decisions, this task's own history and what names its files stay.
    expect(text).toContain('Result (success): Schema migrated; run `npm run migrate`.');
    expect(text).toContain('- decision: User ids are UUIDv7.');
    expect(text).toContain('Attempt 0 broke the cookie parser');
    expect(text).toContain('Attempt 7 broke the cookie parser');
    // A decision naming this task's file is addressed to it, and leads the prompt.
    expect(text).toMatch(/## Instructions for this task\n[\s\S]*- src\/login\.ts must never log passwords\./);
    // Project-wide decisions go, oldest first.
    expect(text).not.toContain('Project decision number 0:');
    expect(text).toContain('Project decision number 299:');
    // The note is short, names where they came from, and points at nothing the agent cannot open.
    const note = /## Left out\n\n(.*)\n/.exec(text)?.[1] ?? '';
    expect(note).toMatch(/^To fit 3000 tokens, \d+ less relevant memory entries were left out \(\d+ decisions; from project-wide\)\.$/);
    expect(text).not.toMatch(/\.agents\/memory|baton memory/);

    const json = JSON.parse(ok(dir, ['prompt', b, '--budget', '3000', '--json']));
    expect(json.tokens).toBeLessThanOrEqual(3000);
    expect(json.tokens).toBe(countTokens(json.text));
    expect(json.encoding).toBe('o200k_base');
    expect(json.omitted.every((o: { task: string }) => o.task === 'project')).toBe(true);
    void a;
  });

  it('gives the same prompt byte for byte for the same files', () => {
    const { dir, b } = bigProject();
    const one = ok(dir, ['prompt', b, '--budget', '4000']);
    const kept = snapshotFiles(dir);
    const two = ok(dir, ['prompt', b, '--budget', '4000']);
    expect(two).toBe(one);
    expect(snapshotFiles(dir)).toEqual(kept);
    // Read before the task is started: the record is kept in the git dir, the working tree is untouched.
    expect(read(dir, `.git/baton/prompts/${b}.md`)).toBe(one);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    ok(dir, ['prompt', b, '--out', 'p.md', '--budget', '4000']);
    expect(read(dir, 'p.md')).toBe(one);
  });

  it('counts with cl100k for models outside the o200k family', () => {
    const dir = makeProject();
    write(dir, '.agents/config.yaml', `${read(dir, '.agents/config.yaml').replace('model: gpt-5-mini', 'model: llama3.1:8b')}`);
    const id = addTask(dir, 'Anything');
    expect(JSON.parse(ok(dir, ['prompt', id, '--json'])).encoding).toBe('cl100k_base');
  });

  it('uses a template from .agents/templates/ and names a bad placeholder by file and line', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Custom', '--check', 'npm test');
    write(dir, '.agents/templates/task-prompt.md', 'Do {{task_id}} on {{branch}}.\n{{#checks}}Run:\n{{checks}}\n{{/checks}}{{#files}}Files: {{files}}{{/files}}\n');
    expect(ok(dir, ['prompt', id])).toBe(`Do ${id} on task/${id}-custom.\nRun:\n\`\`\`sh\nnpm test\n\`\`\`\n`);
    write(dir, '.agents/templates/task-prompt.md', 'Do {{task_id}}.\nThen {{nope}}.\n');
    const before = snapshotFiles(dir);
    const r = baton(dir, ['prompt', id]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.agents/templates/task-prompt.md:2: unknown placeholder `{{nope}}`');
    expect(r.stderr).toContain('{{task_id}}');
    expect(snapshotFiles(dir)).toEqual(before);
  });
});
