/**
 * Tokens of answers baton refused (truncated, invalid, a refusal) are billed
 * all the same: when a model call fails after answers came back, what they
 * cost is recorded like a successful call's, so `baton cost` and
 * `--budget-usd` count them. A failure to record never hides the first error.
 */
import type { Usage } from '../llm/client.js';

export async function recordFailedUsage(root: string, error: unknown, purpose: string): Promise<void> {
  const usage = (error as { usage?: Usage } | undefined)?.usage;
  if (!usage || usage.promptTokens + usage.completionTokens === 0) return;
  try {
    const { recordUsage } = await import('../memory/usage.js');
    await recordUsage(root, 'project', { ...usage, purpose: `${purpose} (refused)` });
  } catch {
    // the command's own error is what the user must see
  }
}
