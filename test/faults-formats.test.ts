/**
 * sh (hooks/baton.sh, format-entries.awk) and Node (src/memory) share formats:
 * the file header, the entry heading, the queue record and the secret shapes.
 * These tests pin each pair together, so one cannot change without the other.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_HEADING_RE } from '../src/memory/entry.js';
import { memoryHeader, parseMemory } from '../src/memory/file.js';
import { branchKey, claimQueue } from '../src/memory/queue.js';
import { redact } from '../src/core/redact.js';
import { PROJECT_ROOT, git, read } from './helpers/repo.js';
import { commitFile, short, taskRepo } from './hooks-util.js';

function sh(script: string, input = ''): string {
  const r = spawnSync('sh', ['-c', `. "$baton_pkg/hooks/baton.sh"; ${script}`], {
    input, encoding: 'utf8', env: { ...process.env, baton_pkg: PROJECT_ROOT },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

/** format-entries.awk on one synthetic `git log` record. */
function awkEntry(subject: string, body = '', files = ''): string {
  const record = `\x1e${'a'.repeat(40)}\x1f2026-01-01T00:00:00Z\x1f\x1f${subject}\x1f${body}\x1f\n${files}`;
  const r = spawnSync('awk', ['-v', `shapes=${join(PROJECT_ROOT, 'hooks/secret-shapes.txt')}`, '-f', join(PROJECT_ROOT, 'hooks/format-entries.awk')], { input: record, encoding: 'utf8' });
  return r.stdout;
}

const SECRETS = [
  'AKIAIOSFODNN7EXAMPLE',
  'sk-proj-abcdefghijklmnopqrstuvwxyz012345',
  'sk-ant-api03-abcdefghijklmnopqrstu',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'github_pat_11ABCDEFG0abcdefghijklmnopqrstuv',
  'xoxb-1234567890-abcdefghij',
  'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234',
  'hf_abcdefghijklmnopqrstuvwxyz',
  'glpat-abcdefghijklmnopqrst',
];
const NOT_SECRETS = ['task-checkout-something-long', 'xAKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLEX', 'ask-me-anything-about-this-thing'];

describe('sh and Node formats are one', () => {
  it('file header: the hook and memoryHeader write the same bytes, for a task and for project', () => {
    for (const id of ['T-7f3a', 'project']) expect(sh(`baton_header ${id}; printf "$baton_fresh\\n"`)).toBe(memoryHeader(id));
    const { dir, id } = taskRepo();
    commitFile(dir, 'a.txt', 'a\n', 'Add a');
    expect(read(dir, `.agents/memory/${id}.md`)).toBe(memoryHeader(id));
  });

  it('entry heading: what the hook writes is what Node parses, under a 12-hex ref', () => {
    const { dir, id } = taskRepo();
    const a = commitFile(dir, 'a.txt', 'a\n', 'Add a');
    commitFile(dir, 'b.txt', 'b\n', 'Add b');
    const text = read(dir, `.agents/memory/${id}.md`);
    const heading = text.split('\n').find((l) => l.startsWith('## '))!;
    expect(ENTRY_HEADING_RE.test(heading)).toBe(true);
    const [entry] = parseMemory(text).entries;
    expect(entry).toMatchObject({ kind: 'commit', ref: short(a), body: 'Add a\n\n- a.txt +1 -0' });
  });

  it('queue record: the line post-commit writes is the record Node claims, in the file named by branchKey', () => {
    const { dir, id, branch } = taskRepo();
    const a = commitFile(dir, 'a.txt', 'a\n', 'Add a');
    const gitDir = join(dir, '.git');
    expect(readFileSync(join(gitDir, 'baton', `queue-${branchKey(branch)}`), 'utf8')).toBe(`${a} ${id}\n`);
    const claim = claimQueue(gitDir, branch);
    expect(claim.queued).toEqual([{ sha: a, task: id }]);
    claim.restore();
    expect(git(dir, ['status', '--porcelain'])).toBe('');
  });

  it('secrets: the awk redacts every token shape Node redacts, in subjects, bodies and file names', () => {
    for (const secret of SECRETS) {
      const line = `Use ${secret} here`;
      expect(redact(line)).toBe('Use [REDACTED] here');
      const entry = awkEntry(line, `body ${secret}\n`, `1\t1\tconf/${secret}.txt\n`);
      expect(entry).not.toContain(secret);
      expect(entry).toContain(`\n${redact(line)}\n\nbody [REDACTED]\n\n- conf/[REDACTED].txt +1 -1`);
    }
    for (const word of NOT_SECRETS) {
      expect(redact(word)).toBe(word);
      expect(awkEntry(word)).toContain(`\n${word}\n`);
    }
  });

  it('a private key: whole, or cut short by the 5-line body limit, it goes in sh and in Node alike', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1\nMIIEowIBAAKCAQEA2\nMIIEowIBAAKCAQEA3\nMIIEowIBAAKCAQEA4\n-----END RSA PRIVATE KEY-----';
    const body = `Config below\n${key}\n\nafter`;
    const entry = awkEntry('Add config', body);
    expect(entry).not.toContain('MIIE');
    expect(entry).toContain('Config below\n[REDACTED]\n\nafter');
    expect(redact(body)).toBe('Config below\n[REDACTED]\n\nafter');
    const cut = 'Config below\n-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEA1\nMIIEowIBAAKCAQEA2';
    expect(redact(cut)).toBe('Config below\n[REDACTED]');
    expect(awkEntry('Add config', cut)).not.toContain('MIIE');
  });
});
