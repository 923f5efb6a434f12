import { describe, expect, it } from 'vitest';
import { issueStatePatch, parseIssueBody, renderIssueBody, statusOfIssue } from '../src/remote/github-issue.js';
import { STATUSES } from '../src/core/task.js';

describe('a task as a GitHub issue body and back', () => {
  it('reads what baton wrote and what a person edited on github.com alike', () => {
    const body = renderIssueBody('## Context\n\nLogin first.\n\n## Success criteria\n\n- [ ] works', [12, 14], 'T-7f3a', new Set([14]));
    expect(body).toBe('## Context\n\nLogin first.\n\n## Success criteria\n\n- [ ] works\n\n### Blocked by\n- [ ] #12\n- [x] #14\n\n<!-- baton:T-7f3a -->\n');
    expect(parseIssueBody(body)).toEqual({ text: '## Context\n\nLogin first.\n\n## Success criteria\n\n- [ ] works', blockedBy: [12, 14], marker: 'T-7f3a' });
    // The web editor sends CRLF; a person may write below the list, or tick it: the same fields.
    const edited = '## Context\r\n\r\nLogin first.\r\n\r\n## Blocked by\r\n\r\n* [X] #12 the schema\r\n\r\nThanks!\r\n<!-- baton:T-7f3a -->';
    expect(parseIssueBody(edited)).toEqual({ text: '## Context\n\nLogin first.\n\nThanks!', blockedBy: [12], marker: 'T-7f3a' });
    // A success criterion that mentions an issue is not a dependency.
    expect(parseIssueBody('- [ ] #3 still renders\n\nMore text.').blockedBy).toEqual([]);
    expect(parseIssueBody(null)).toEqual({ text: '', blockedBy: [], marker: undefined });
  });

  it('says every status with state and labels, keeping the labels a person added', () => {
    for (const status of STATUSES) {
      const patch = issueStatePatch(status, ['bug', 'review', 'baton']);
      expect(patch.labels.filter((l) => l === 'bug')).toEqual(['bug']);
      expect(statusOfIssue({ state: patch.state, state_reason: patch.state_reason ?? null, labels: patch.labels })).toBe(status);
    }
  });
});
