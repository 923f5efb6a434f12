/** Nothing secret reaches committed memory, by the hook, the Node flush or a rebuild. */
import { describe, expect, it } from 'vitest';
import { git, ok, read, write } from './helpers/repo.js';
import { commitFile, flush, taskRepo } from './hooks-util.js';

const AWS = 'AKIAIOSFODNN7EXAMPLE';
const OPENAI = 'sk-proj-abcdefghijklmnopqrstuvwxyz012345';
const GITHUB = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_LINE = 'MIIEowIBAAKCAQEAsecretkeymaterial';
const KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${KEY_LINE}1\n${KEY_LINE}2\n${KEY_LINE}3\n${KEY_LINE}4\n${KEY_LINE}5\n-----END OPENSSH PRIVATE KEY-----`;
const ALL = [AWS, OPENAI, GITHUB, KEY_LINE];

describe('secrets never reach memory', () => {
  it('subjects, bodies and file names with keys: redacted by the sh hook, the Node flush and rebuild', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, `deploy/${AWS}.env`, 'x\n', `Rotate ${AWS}`, ['-m', `Old key ${OPENAI} and ${GITHUB}\nThe key was:\n${KEY}`]);
    commitFile(dir, 'b.txt', 'b\n', `Second ${GITHUB}`); // the hook writes the first entry here
    // An amend hands the next write to the Node flush.
    git(dir, ['commit', '-q', '--amend', '-m', `Second, amended ${OPENAI}`]);
    commitFile(dir, 'c.txt', 'c\n', 'Third');
    const history = git(dir, ["log", "-p", "--format=", "--all", "--", ".agents/memory"]);
    expect(history).toContain('[REDACTED]');
    for (const secret of ALL) expect(history).not.toContain(secret);
    flush(dir);
    ok(dir, ['memory', 'rebuild']);
    const text = read(dir, `.agents/memory/${id}.md`);
    expect(text).toContain('Rotate [REDACTED]');
    for (const secret of ALL) expect(text).not.toContain(secret);
  });

  it('rebuild redacts a key someone pasted into an entry by hand, cut across its lines', () => {
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    commitFile(dir, 'b.txt', 'b\n', 'Add b');
    const path = `.agents/memory/${id}.md`;
    const pasted = `${read(dir, path)}\n## 2026-01-01T00:00:00Z note\nThe deploy key:\n-----BEGIN RSA PRIVATE KEY-----\n${KEY_LINE}\n${KEY_LINE}\n`;
    git(dir, ['add', '-A']);
    write(dir, path, pasted);
    ok(dir, ['memory', 'rebuild']);
    const text = read(dir, path);
    expect(text).toContain('The deploy key:\n[REDACTED]');
    expect(text).not.toContain(KEY_LINE);
  });
});
