import { describe, expect, it } from 'vitest';
import { parseFrontMatter, setFrontMatterFields } from '../src/workspace/frontmatter.js';
import { parseTaskText } from '../src/tasks/task-files.js';

const HAND_WRITTEN = `---
id: T-7f3a
title: Add login endpoint   # keep it short
status: todo            # todo | in-progress | review | done | blocked | cancelled
depends_on: [T-c21e, T-09b4]
phase: API
owner: dana             # a key baton does not know
checks:
  - "npm test -- login"
---
## Context

Prose a person wrote, with *emphasis*.

## Success criteria
- [ ] POST /login returns a signed session cookie
`;

describe('front matter', () => {
  it('changes only the field that is set, keeping comments, unknown keys and the body', () => {
    const after = setFrontMatterFields(HAND_WRITTEN, 'x.md', { status: 'in-progress' });
    expect(after).toBe(HAND_WRITTEN.replace('status: todo', 'status: in-progress'));
    expect(after).toContain('status: in-progress');
    expect(after).toContain('# todo | in-progress');
    expect(after).toContain('owner: dana             # a key baton does not know');
    expect(after.slice(after.indexOf('## Context'))).toBe(HAND_WRITTEN.slice(HAND_WRITTEN.indexOf('## Context')));
  });

  it('round-trips: setting a field to its current value changes no byte', () => {
    expect(setFrontMatterFields(HAND_WRITTEN, 'x.md', { status: 'todo', phase: 'API' })).toBe(HAND_WRITTEN);
  });

  it('adds missing keys at the end and removes keys with undefined', () => {
    const added = setFrontMatterFields(HAND_WRITTEN, 'x.md', { branch: 'task/T-7f3a-add-login' });
    expect(added).toContain('  - "npm test -- login"\nbranch: task/T-7f3a-add-login\n---\n');
    const removed = setFrontMatterFields(added, 'x.md', { owner: undefined });
    expect(removed).not.toContain('owner');
    expect(removed).toContain('phase: API\nchecks:');
  });

  it('rewrites a block list as a flow list without touching its neighbours', () => {
    const after = setFrontMatterFields(HAND_WRITTEN, 'x.md', { checks: ['npm test', 'npm run lint'] });
    expect(after).toContain('owner: dana             # a key baton does not know\nchecks: [npm test, npm run lint]\n---\n');
    expect(parseFrontMatter(after, 'x.md').data.checks).toEqual(['npm test', 'npm run lint']);
  });

  it('locates YAML errors on the line of the file', () => {
    const broken = HAND_WRITTEN.replace('phase: API', 'phase: [API');
    expect(() => parseFrontMatter(broken, '.agents/tasks/T-7f3a-x.md')).toThrowError(/invalid YAML/);
    try {
      parseFrontMatter(broken, '.agents/tasks/T-7f3a-x.md');
    } catch (e) {
      expect((e as { line: number }).line).toBeGreaterThanOrEqual(6);
      expect((e as { file: string }).file).toBe('.agents/tasks/T-7f3a-x.md');
    }
  });

  it('reports each task problem on the line of its key', () => {
    const text = HAND_WRITTEN.replace('status: todo', 'status: finished');
    const { task, problems } = parseTaskText(text, '.agents/tasks/T-7f3a-add-login.md');
    expect(task).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, message: 'unknown status `finished`', file: '.agents/tasks/T-7f3a-add-login.md' }),
    ]);
  });
});
