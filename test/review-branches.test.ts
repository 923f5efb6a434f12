import { describe, expect, it } from 'vitest';
import { addTask, git, makeProject, ok } from './helpers/repo.js';

describe('baton review reads unmerged task branches', () => {
  it('a failure logged on a task branch that was never merged is in the review prompt, once', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Parse the config', '--check', 'false');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '-m', 'plan']);
    ok(dir, ['start', id]);
    ok(dir, ['log', id, '--outcome', 'failure', '--summary', 'The YAML parser rejects tabs', '--bug', 'tabs in config.yaml crash the loader']);
    git(dir, ['checkout', '-q', 'main']);

    const prompt = ok(dir, ['review', '--prompt']);
    expect(prompt).toContain('The YAML parser rejects tabs');
    expect(prompt).toContain('tabs in config.yaml crash the loader');
    expect(prompt.split('The YAML parser rejects tabs').length - 1).toBe(1);
  });
});
