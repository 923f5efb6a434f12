/**
 * Token usage and cost, kept in memory as `usage` entries so that cost lives
 * beside the work it paid for:
 *
 *     ## 2026-11-22T10:31:05Z usage planner gpt-5
 *     prompt_tokens: 1200
 *     completion_tokens: 800
 *     cost_usd: 0.0095
 *     for: plan
 *
 * No `openai` import here: `baton cost` reads these without loading the SDK.
 */
import { isoNow, type MemoryEntry } from './entry.js';
import type { Usage } from '../llm/client.js';
import { appendMemory } from './file.js';

export type { Usage };

export function formatUsageBody(u: Usage): string {
  return [
    `prompt_tokens: ${u.promptTokens}`,
    `completion_tokens: ${u.completionTokens}`,
    `cost_usd: ${u.costUsd === undefined ? 'unknown' : roundUsd(u.costUsd)}`,
    `calls: ${u.calls}`,
    ...(u.purpose ? [`for: ${u.purpose}`] : []),
  ].join('\n');
}

export function roundUsd(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}

export function usageEntry(u: Usage, time = isoNow()): Pick<MemoryEntry, 'time' | 'kind' | 'ref' | 'body'> {
  return { time, kind: 'usage', ref: `${u.role} ${u.model}`, body: formatUsageBody(u) };
}

/** Append a usage entry to `target`'s memory (a task id, or `project` for plan and review calls). */
export async function recordUsage(root: string, target: string, usage: Usage): Promise<void> {
  await appendMemory(root, target, [usageEntry(usage)]);
}

/** Read a usage entry back; undefined for entries of other kinds. */
export function parseUsageEntry(entry: MemoryEntry): (Usage & { task: string; time: string }) | undefined {
  if (entry.kind !== 'usage') return undefined;
  const [role = 'unknown', ...model] = (entry.ref ?? '').split(' ');
  const field = (key: string) => new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(entry.body)?.[1]?.trim();
  const int = (key: string) => Number.parseInt(field(key) ?? '0', 10) || 0;
  const cost = field('cost_usd');
  return {
    task: entry.task ?? 'project',
    time: entry.time,
    role,
    model: model.join(' ') || 'unknown',
    promptTokens: int('prompt_tokens'),
    completionTokens: int('completion_tokens'),
    costUsd: cost && cost !== 'unknown' && Number.isFinite(Number(cost)) ? Number(cost) : undefined,
    calls: int('calls'),
    purpose: field('for'),
  };
}

export interface CostLine {
  key: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** Entries whose model has no price: their tokens count, their cost does not. */
  unpriced: number;
  entries: number;
}

export interface CostReport {
  total: CostLine;
  byTask: CostLine[];
  byRole: CostLine[];
  byModel: CostLine[];
}

export function summarizeUsage(entries: readonly MemoryEntry[]): CostReport {
  const usages = entries.map(parseUsageEntry).filter((u) => u !== undefined);
  const group = (keyOf: (u: (typeof usages)[number]) => string): CostLine[] => {
    const lines = new Map<string, CostLine>();
    for (const u of usages) {
      const key = keyOf(u);
      const line = lines.get(key) ?? { key, promptTokens: 0, completionTokens: 0, costUsd: 0, unpriced: 0, entries: 0 };
      line.promptTokens += u.promptTokens;
      line.completionTokens += u.completionTokens;
      if (u.costUsd === undefined) line.unpriced++;
      else line.costUsd += u.costUsd;
      line.entries++;
      lines.set(key, line);
    }
    // Rounding the sums keeps float noise (0.30000000000000004) out of the report.
    return [...lines.values()].map((l) => ({ ...l, costUsd: Number(roundUsd(l.costUsd)) })).sort((a, b) => b.costUsd - a.costUsd || a.key.localeCompare(b.key));
  };
  const total = group(() => 'total')[0] ?? { key: 'total', promptTokens: 0, completionTokens: 0, costUsd: 0, unpriced: 0, entries: 0 };
  return { total, byTask: group((u) => u.task), byRole: group((u) => u.role), byModel: group((u) => u.model) };
}
