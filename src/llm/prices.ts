/**
 * What a call cost: tokens × price. Prices are USD per million tokens; the
 * defaults cover common hosted models, `prices:` in config.yaml adds or
 * overrides (a local model costs nothing: `my-model: {input: 0, output: 0}`).
 */
import type { Config } from '../workspace/config.js';

export interface Price {
  input: number;
  output: number;
}

export const DEFAULT_PRICES: Record<string, Price> = {
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  o3: { input: 2, output: 8 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

/**
 * The price of `model`: config first, then the defaults; provider prefixes
 * (`openai/gpt-5` on OpenRouter) and dated snapshots (`gpt-4o-2024-08-06`) match their base name.
 */
export function priceOf(config: Pick<Config, 'prices'>, model: string): Price | undefined {
  const table: Record<string, Price> = { ...DEFAULT_PRICES, ...(config.prices ?? {}) };
  const bare = model.split('/').pop() ?? model;
  for (const name of [model, bare, bare.replace(/-\d{4}-\d\d-\d\d$/, '')]) {
    const p = table[name];
    if (p && typeof p.input === 'number' && typeof p.output === 'number') return p;
  }
  return undefined;
}

/** USD for this many tokens, or undefined when the model has no price. */
export function costOf(config: Pick<Config, 'prices'>, model: string, promptTokens: number, completionTokens: number): number | undefined {
  const p = priceOf(config, model);
  if (!p) return undefined;
  return (promptTokens * p.input + completionTokens * p.output) / 1_000_000;
}
