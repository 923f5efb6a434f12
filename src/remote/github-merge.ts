/**
 * The three-way merge of one synced field. Pure. The base is the hash both
 * sides had at the last sync: the side whose value moved away from it was
 * edited, and its value goes to the other side; both moved to different
 * values is a conflict, reported and left alone unless a side is preferred.
 */
import { fieldHash, type SyncedField } from '../tasks/github-link.js';

export type Side = 'baton' | 'github';

export type FieldDecision =
  | { kind: 'same'; value: string }
  | { kind: 'take'; from: Side; value: string }
  | { kind: 'conflict'; baton: string; github: string; baseKnown: boolean };

export function decideField(base: string | undefined, baton: string, github: string, prefer?: Side): FieldDecision {
  if (baton === github) return { kind: 'same', value: baton };
  const bh = fieldHash(baton);
  const gh = fieldHash(github);
  if (base !== undefined && bh === base) return { kind: 'take', from: 'github', value: github };
  if (base !== undefined && gh === base) return { kind: 'take', from: 'baton', value: baton };
  if (prefer) return { kind: 'take', from: prefer, value: prefer === 'baton' ? baton : github };
  return { kind: 'conflict', baton, github, baseKnown: base !== undefined };
}

/** The values of the synced fields as text: what is hashed, compared and shown in a conflict. */
export type FieldValues = Record<SyncedField, string>;

/** Dependencies compare as a set: sorted ids, comma-separated. */
export function depsValue(ids: readonly string[]): string {
  return [...new Set(ids)].sort().join(',');
}

export function depsFromValue(value: string): string[] {
  return value ? value.split(',') : [];
}
