/** What `baton sync github` did (or, in a dry run, would do): the JSON shape of `sync github --json`. */
import type { PlanCommit } from '../workflow/plan-commit.js';
import type { SyncedField } from '../tasks/github-link.js';
import type { Side } from './github-merge.js';

export interface IssueRef {
  id: string;
  issue: number;
}

export interface FieldChange extends IssueRef {
  field: SyncedField;
  /** Where the value was written: `github` (baton's edit sent) or `baton` (GitHub's edit taken). */
  to: Side;
}

export interface SyncConflict extends IssueRef {
  field: SyncedField;
  baton: string;
  github: string;
}

export interface GithubSyncReport {
  repo: string;
  dryRun: boolean;
  created: IssueRef[];
  imported: IssueRef[];
  adopted: IssueRef[];
  changes: FieldChange[];
  conflicts: SyncConflict[];
  comments: IssueRef[];
  problems: string[];
  /** API calls that changed something on GitHub. */
  writes: number;
  commit?: PlanCommit;
  subject?: string;
}
