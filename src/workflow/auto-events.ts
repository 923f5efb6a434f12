/** What `baton auto` reports as it goes; cli/render/auto-display.ts draws it. */

export type TaskState = 'waiting' | 'starting' | 'running' | 'checking' | 'logging' | 'merging' | 'merged' | 'done' | 'failed' | 'partial' | 'interrupted' | 'skipped';

export interface Display {
  task(id: string, title: string, state: TaskState, detail?: string): void;
  /** A line about the whole run (a review, a limit). */
  note(text: string): void;
  close(): void;
}
