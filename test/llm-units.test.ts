/** Pure parts of the model layer: finding JSON, the schema checks, retry timing, prices, settings, usage entries, markdown answers. */
import { describe, expect, it } from 'vitest';
import { extractJson } from '../src/llm/json-text.js';
import { coerce, validateSchema } from '../src/llm/schema.js';
import { backoffMs, retryAfterMs } from '../src/llm/retry.js';
import { costOf, priceOf } from '../src/llm/prices.js';
import { roleSettings } from '../src/llm/settings.js';
import { parseUsageEntry, summarizeUsage, usageEntry } from '../src/memory/usage.js';
import { formatEntry } from '../src/memory/entry.js';
import { parseMemory } from '../src/memory/file.js';
import { defaultConfig } from '../src/workspace/config.js';
import { readReviewAnswer } from '../src/agents/reviewer.js';
import { PLAN_SCHEMA } from '../src/agents/plan-schema.js';

describe('extractJson', () => {
  it('finds JSON bare, fenced, or among prose with braces in strings', () => {
    expect(extractJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(extractJson('Sure:\n```json\n{"a":2}\n```\nDone.')).toEqual({ ok: true, value: { a: 2 } });
    expect(extractJson('Plan {draft} below: {"a":"x}{y"} hope it helps')).toEqual({ ok: true, value: { a: 'x}{y' } });
  });
  it('says why nothing could be read', () => {
    expect(extractJson('')).toEqual({ ok: false, error: 'the answer is empty' });
    expect(extractJson('no json here')).toEqual({ ok: false, error: 'the answer holds no JSON object' });
    expect(extractJson('{"a": 1,,}')).toMatchObject({ ok: false, error: expect.stringContaining('does not parse') });
  });
});

describe('schema', () => {
  it('names the path of every problem', () => {
    const errors = validateSchema({ goal: 3, tasks: [{ key: 'a' }, { title: 'ok', depends_on: 'x' }] }, PLAN_SCHEMA);
    expect(errors).toEqual([
      '$.goal: expected a string, got number',
      '$.tasks[0].title: required but missing',
      '$.tasks[1].depends_on: expected an array, got string',
    ]);
  });
  it('coerces what a model plainly meant', () => {
    const value = coerce({ goal: ['a', 'b'], tasks: [{ title: 'x', depends_on: 'db, api', checks: 'none' }] }, PLAN_SCHEMA);
    expect(value).toEqual({ goal: 'a\nb', tasks: [{ title: 'x', depends_on: ['db', 'api'], checks: [] }] });
    expect(coerce({ phases: [{ name: 'API', description: 'endpoints' }, { name: 'Docs' }] }, PLAN_SCHEMA)).toEqual({ phases: ['API: endpoints', 'Docs'] });
  });
});

describe('retry timing', () => {
  const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
  it('reads Retry-After in seconds, as a date, and retry-after-ms', () => {
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after-ms': '150' }))).toBe(150);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2099 00:00:10 GMT' }), Date.parse('2099-01-01T00:00:00Z'))).toBe(10_000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });
  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(0, 1000, () => 0)).toBe(500);
    expect(backoffMs(2, 1000, () => 1)).toBe(4000);
    expect(backoffMs(20, 1000, () => 1)).toBe(30_000);
  });
});

describe('prices', () => {
  it('matches provider prefixes and dated snapshots, config first', () => {
    const config = { prices: { 'gpt-5': { input: 1, output: 1 } } };
    expect(priceOf(config, 'openai/gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf(config, 'gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 });
    expect(costOf(config, 'gpt-5', 1_000_000, 1_000_000)).toBe(2);
    expect(costOf(config, 'llama3.1:8b', 10, 10)).toBeUndefined();
  });
});

describe('roleSettings', () => {
  it('reads the key from the configured variable and the endpoint from OPENAI_BASE_URL', () => {
    const config = defaultConfig();
    config.models.planner = { model: 'x', api_key_env: 'MY_KEY', timeout_s: 30 };
    const s = roleSettings(config, 'planner', { MY_KEY: 'k', OPENAI_BASE_URL: 'http://h/v1', BATON_RETRY_BASE_MS: '5' });
    expect(s).toMatchObject({ model: 'x', apiKey: 'k', baseURL: 'http://h/v1', timeoutMs: 30_000, retryBaseMs: 5, maxRetries: 2, maxRepairs: 2 });
  });
  it('needs no key for a local server, and names the variable when OpenAI needs one', () => {
    const config = defaultConfig();
    config.models.planner = { model: 'llama3', api_key_env: 'OPENAI_API_KEY', base_url: 'http://localhost:11434/v1' };
    expect(roleSettings(config, 'planner', {}).apiKey).toBe('not-needed');
    expect(() => roleSettings(defaultConfig(), 'reviewer', {})).toThrow('`OPENAI_API_KEY` is not set');
    expect(() => roleSettings(defaultConfig(), 'tester', {})).toThrow('no model configured for the `tester` role');
  });
});

describe('usage entries', () => {
  it('round-trip through memory and sum by task, role and model', () => {
    const a = usageEntry({ role: 'planner', model: 'openai/gpt-5', promptTokens: 100, completionTokens: 50, costUsd: 0.000625, calls: 1, purpose: 'plan' }, '2026-11-22T10:00:00Z');
    const b = usageEntry({ role: 'implementer', model: 'local', promptTokens: 10, completionTokens: 5, calls: 2 }, '2026-11-22T11:00:00Z');
    const entries = parseMemory(`# Memory\n\n${formatEntry(a)}\n${formatEntry(b)}`, 'T-abcd').entries;
    expect(parseUsageEntry(entries[0]!)).toMatchObject({ task: 'T-abcd', role: 'planner', model: 'openai/gpt-5', promptTokens: 100, costUsd: 0.000625, purpose: 'plan' });
    expect(parseUsageEntry(entries[1]!)).toMatchObject({ costUsd: undefined, calls: 2 });
    const report = summarizeUsage(entries);
    expect(report.total).toMatchObject({ promptTokens: 110, completionTokens: 55, costUsd: 0.000625, unpriced: 1, entries: 2 });
    expect(report.byModel.map((l) => l.key)).toEqual(['openai/gpt-5', 'local']);
  });
});

describe('markdown answers', () => {
  it('reads a review written as markdown, with its fields, lists and ids', () => {
    const md = `Here is my review.

## Summary

Login is not done.

## Follow-up tasks

### fix-login: Make the login tests pass

- Follows: T-2f6b
- Depends on: T-5056
- Reason: its check fails
- Success criteria:
  - \`npm test -- login\` passes

## Reopen

- T-2f6b: no commit recorded

## Unsupported claims

- task: T-2f6b; claim: Login works; evidence: the check failed

## Decisions

- Passwords are hashed with bcrypt
`;
    const read = readReviewAnswer(md);
    expect(read).toEqual({
      ok: true,
      value: {
        summary: 'Login is not done.',
        follow_ups: [{ key: 'fix-login', title: 'Make the login tests pass', follows: 'T-2f6b', depends_on: ['T-5056'], reason: 'its check fails', success_criteria: ['`npm test -- login` passes'] }],
        reopen: [{ id: 'T-2f6b', reason: 'no commit recorded' }],
        unsupported_claims: [{ task: 'T-2f6b', claim: 'Login works', evidence: 'the check failed' }],
        decisions: ['Passwords are hashed with bcrypt'],
      },
    });
  });
});
