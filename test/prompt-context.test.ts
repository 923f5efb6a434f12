/**
 * What `baton prompt` carries for a task deep in the graph: the grand-parent's
 * interface, the review's plan changes, project memory routed to the task it
 * names; within any budget, the same bytes twice, and nothing left in the
 * working tree that could stop `baton start`.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { beforeAll, describe, expect, it } from 'vitest';
import { addTask, baton, git, makeProject, ok, write } from './helpers/repo.js';

const mem = (id: string, body: string) => `# Memory: ${id}\n\n${body}`;

describe('baton prompt context', () => {
  let dir = '';
  let a = '';
  let b = '';
  let c = '';
  beforeAll(() => {
    dir = makeProject();
    a = addTask(dir, 'Money type', '--file', 'src/money.ts');
    b = addTask(dir, 'Currency table', '-d', a, '--file', 'src/currency.ts');
    c = addTask(dir, 'Price display', '-d', b, '--file', 'src/price.tsx', '--phase', 'UI');
    write(dir, `.agents/memory/${a}.md`, mem(a, '## 2026-11-02T09:00:00Z result success\nExported `formatMoney(cents, currency)`; extend it, do not add another.\n'));
    write(dir, `.agents/memory/${b}.md`, mem(b, [
      '## 2026-11-03T09:00:00Z result failure\nRounding broke JPY.\n',
      '## 2026-11-03T10:00:00Z result success\nA `CURRENCIES` map of ISO code to minor digits.\n',
    ].join('\n')));
    write(dir, '.agents/memory/project.md', mem('project', [
      `## 2026-11-04T09:00:00Z decision\n${c} must not cache rendered prices.\n\n(R-001)\n`,
      `## 2026-11-04T09:00:01Z decision\n${b} must add the CHF currency.\n\n(R-001)\n`,
      '## 2026-11-04T09:00:02Z decision\nAll logs are JSON lines.\n\n(R-001)\n',
    ].join('\n')));
    const plan = git(dir, ['show', 'HEAD:.agents/plan.md'])
      .replace('What this project is for, in a few sentences.', 'A shop that sells prints.')
      .replace('1. First phase', '1. Core: money and currencies.\n2. UI: the price tag.\n3. Ops: the nightly export.')
      .replace('## Tasks', `## Conventions\n\n- Every exported function has a unit test beside it.\n\n## Review notes\n\n- R-001: Constraint lifted: display code may format with floats.\n- R-001: ${b} keeps its table sorted by code.\n\n## Tasks`);
    write(dir, '.agents/plan.md', plan);
    ok(dir, ['task', 'set', a, '--status', 'done']);
    ok(dir, ['task', 'set', b, '--status', 'done']);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'Two tasks done, a review']);
  });

  it('carries the grand-parent\'s interface, the plan\'s prose and review notes, and routes decisions to the task they name', () => {
    const text = ok(dir, ['prompt', c, '--budget', '8000']);
    // A transitive dependency's result, with its title; the direct one's latest result, not the superseded one.
    expect(text).toMatch(/### Further up the graph[\s\S]*- Money type \(T-[0-9a-f]+\)\n {2}- result \(success\): Exported `formatMoney\(cents, currency\)`/);
    expect(text).toContain(`### Currency table (${b}), done\n\nResult (success): A \`CURRENCIES\` map`);
    expect(text).not.toContain('Rounding broke JPY');
    // Everything in plan.md that binds the implementer, and not the generated table; only this task's phase.
    expect(text).toContain('- R-001: Constraint lifted: display code may format with floats.');
    expect(text).toContain('### Conventions\n\n- Every exported function has a unit test beside it.');
    expect(text).toContain('2. UI: the price tag.');
    expect(text).not.toContain('Ops: the nightly export');
    expect(text).not.toContain('| id | title |');
    // Routing: addressed to this task, it leads; addressed to another, it is not here; project-wide stays.
    expect(text.indexOf('## Instructions for this task')).toBeLessThan(text.indexOf('## Working rules'));
    expect(text).toMatch(/## Instructions for this task\n\n[\s\S]*- This task must not cache rendered prices\./);
    expect(text).not.toContain('must add the CHF currency');
    expect(text).not.toContain('keeps its table sorted');
    expect(text).toContain('All logs are JSON lines.');
    // Nothing the agent cannot open.
    expect(text).not.toMatch(/\.agents\/reviews|baton memory|\(R-001\)/);
  });

  it('is never over budget, keeps the direct dependency\'s result at 1,000 tokens, and gives the same bytes twice', () => {
    for (const budget of [400, 1000, 2000]) {
      const r = JSON.parse(ok(dir, ['prompt', c, '--budget', String(budget), '--json']));
      expect(r.tokens).toBeLessThanOrEqual(budget);
      expect(countTokens(r.text)).toBe(r.tokens);
      if (budget >= 1000) expect(r.text).toContain('A `CURRENCIES` map of ISO code to minor digits.');
    }
    expect(ok(dir, ['prompt', c, '--budget', '1000'])).toBe(ok(dir, ['prompt', c, '--budget', '1000']));
  });

  it('with --with-files carries the task\'s code, fenced and redacted, only as much as the budget allows', () => {
    write(dir, 'src/currency.ts', `// Currencies.\nexport const CURRENCIES = { EUR: 2 };\nconst API_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz123456";\n${'export const filler = 1;\n'.repeat(300)}`);
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'Currency code']);
    const plain = ok(dir, ['prompt', b]);
    expect(plain).not.toContain('## Code');
    const full = ok(dir, ['prompt', b, '--with-files', '--budget', '8000']);
    expect(full).toMatch(/## Code\n\n#### `src\/currency\.ts`\n\n```ts\n\/\/ Currencies\.\nexport const CURRENCIES/);
    expect(full).toContain('[REDACTED]');
    expect(full).not.toContain('sk-proj-abcdefghijklmnopqrstuvwxyz123456');
    const cut = JSON.parse(ok(dir, ['prompt', b, '--with-files', '--budget', '1500', '--json']));
    expect(cut.tokens).toBeLessThanOrEqual(1500);
    expect(cut.text).toMatch(/\(first \d+ of 303 lines\)/);
  });

  it('leaves nothing in the working tree that stops baton start, first time or on a retry', () => {
    ok(dir, ['prompt', c]);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    ok(dir, ['start', c]);
    // The record read before the start went onto the branch with the start.
    expect(git(dir, ['show', '--name-only', '--format=', 'HEAD'])).toContain(`.agents/prompts/${c}.md`);
    git(dir, ['switch', '-q', 'main']);
    ok(dir, ['prompt', c]);
    expect(git(dir, ['status', '--porcelain'])).toBe('');
    const again = baton(dir, ['start', c]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(git(dir, ['branch', '--show-current']).trim()).toBe(`task/${c}-price-display`);
  });
});
