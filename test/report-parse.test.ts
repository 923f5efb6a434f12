/**
 * Reading back the report an agent wrote: fixture pairs in test/fixtures/reports
 * (`name.md` as a model might write it, `name.json` what must be read from it),
 * then `baton log --from` on the CLI with a garbled report and a report with no outcome.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcomeOf, parseReport, REPORT_FORMAT } from '../src/prompt/report.js';
import { addTask, baton, git, makeProject, ok, read, snapshotFiles, taskFile, tempDir, PROJECT_ROOT } from './helpers/repo.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'reports');

describe('parseReport', () => {
  for (const name of readdirSync(FIXTURES).filter((n) => n.endsWith('.md')).sort()) {
    it(`reads ${name}`, () => {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      const expected = JSON.parse(readFileSync(join(FIXTURES, name.replace(/\.md$/, '.json')), 'utf8'));
      expect(parseReport(text)).toEqual({ bugs: [], decisions: [], blockers: [], notes: [], questions: [], summary: '', ...expected });
    });
  }

  it('reads the format the prompt shows, filled in, exactly', () => {
    const filled = REPORT_FORMAT.replace('success | partial | failure', 'partial');
    const r = parseReport(filled);
    expect(r.outcome).toBe('partial');
    expect(r.summary).toBe('What you did and what works now, in a few sentences.');
    expect(r.decisions).toEqual(['A design decision a later task must know, and why.']);
    // The format's example question, echoed back, asks nothing: it must not block the task.
    expect(r.questions).toEqual([]);
    expect(parseReport(`${filled.replace(/## Questions\n.*$/s, '')}**Open questions:**\n- SQLite or Postgres?\n- none`).questions).toEqual(['SQLite or Postgres?']);
  });

  it('understands how models name outcomes, and refuses the unfilled choice', () => {
    expect(outcomeOf('Succeeded')).toBe('success');
    expect(outcomeOf('**Completed** – all tests pass')).toBe('success');
    expect(outcomeOf('Partial success')).toBe('partial');
    expect(outcomeOf('failed (tests time out)')).toBe('failure');
    expect(outcomeOf('`blocked`')).toBe('failure');
    expect(outcomeOf('success | partial | failure')).toBeUndefined();
    expect(outcomeOf('maybe')).toBeUndefined();
  });
});

describe('baton log --from', () => {
  it('reads a garbled report from stdin and records each part', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Session store');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'plan']);
    ok(dir, ['start', id]);
    const report = [
      'Done! Summary of my work below.',
      '',
      '```',
      '# OUTCOME',
      'partial',
      '# Summary',
      'Store written; eviction missing.',
      '# Bugs',
      '- Keys are never expired',
      '```',
      'Thanks!',
    ].join('\n');
    const out = ok(dir, ['log', id, '--from', '-', '--note', 'Reviewed by hand'], { input: report });
    expect(out).toContain('3 memory entries logged, status stays in-progress');
    const memory = read(dir, `.agents/memory/${id}.md`);
    expect(memory).toMatch(/## \S+ result partial\nStore written; eviction missing\.\n/);
    expect(memory).toMatch(/## \S+ bug\nKeys are never expired\n/);
    expect(memory).toMatch(/## \S+ note\nReviewed by hand\n/);
  });

  it('refuses a report with no outcome, shows the expected shape and changes nothing', () => {
    const dir = makeProject();
    const id = addTask(dir, 'Session store');
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-qm', 'plan']);
    ok(dir, ['start', id]);
    const report = join(tempDir('baton-report-'), 'no-outcome.md');
    writeFileSync(report, readFileSync(join(FIXTURES, 'no-outcome.md'), 'utf8'));
    const before = snapshotFiles(dir);
    const head = git(dir, ['rev-parse', 'HEAD']);
    const r = baton(dir, ['log', id, '--from', report]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no outcome found in \`${report}\``);
    expect(r.stderr).toContain('## Outcome');
    expect(snapshotFiles(dir)).toEqual(before);
    expect(git(dir, ['rev-parse', 'HEAD'])).toBe(head);
    expect(read(dir, taskFile(dir, id))).toContain('status: in-progress');
  });
});
