/**
 * `baton cost`: the tokens and dollars recorded for every model call, summed
 * by task, role and model, equal to what the server reported.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { batonAsync, makeProject, ok, write, read } from './helpers/repo.js';
import { modelEnv, startChatServer, type ChatServer } from './helpers/chat-server.js';
import { GOOD_PLAN, REQUIREMENTS } from './helpers/model-answers.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Line { key: string; promptTokens: number; completionTokens: number; costUsd: number; unpriced: number; entries: number }
interface Report { total: Line; byTask: Line[]; byRole: Line[]; byModel: Line[] }

describe('baton cost', () => {
  it('sums the usage of plan, review and task calls, matching what the server reported', async () => {
    const dir = makeProject();
    write(dir, 'REQUIREMENTS.md', REQUIREMENTS);
    // The reviewer on a cheaper model, with a price of its own; a local model with no price.
    write(dir, '.agents/config.yaml', [
      'models:', '  planner:', '    model: gpt-5', '  reviewer:', '    model: review-model', '  implementer:', '    model: local-coder',
      'prices:', '  review-model: {input: 2, output: 8}', '',
    ].join('\n'));
    server = await startChatServer([
      { content: 'not json at all', usage: { prompt_tokens: 1200, completion_tokens: 30 } },
      { content: JSON.stringify(GOOD_PLAN), usage: { prompt_tokens: 1500, completion_tokens: 700 } },
      { content: JSON.stringify({ summary: 'All good so far.' }), usage: { prompt_tokens: 2000, completion_tokens: 100 } },
    ]);
    const env = modelEnv(server);
    const planRun = await batonAsync(dir, ['plan', '--from', 'REQUIREMENTS.md', '--json'], { env });
    expect(planRun.code, planRun.stderr).toBe(0);
    const task = (JSON.parse(planRun.stdout) as { created: { id: string }[] }).created[0]!.id;
    const reviewRun = await batonAsync(dir, ['review'], { env });
    expect(reviewRun.code, reviewRun.stderr).toBe(0);
    // An implementer call recorded in its task's memory, in the format recordUsage writes.
    write(dir, `.agents/memory/${task}.md`, `# Memory: ${task}\n\n## 2026-11-23T09:00:00Z usage implementer local-coder\nprompt_tokens: 400\ncompletion_tokens: 600\ncost_usd: unknown\ncalls: 1\nfor: run ${task}\n`);

    const report = JSON.parse(ok(dir, ['cost', '--json'])) as Report;
    expect(report.total.promptTokens).toBe(server.reported.prompt_tokens + 400);
    expect(report.total.completionTokens).toBe(server.reported.completion_tokens + 600);
    // gpt-5: (2700 × 1.25 + 730 × 10) / 1e6; review-model: (2000 × 2 + 100 × 8) / 1e6.
    const planner = (2700 * 1.25 + 730 * 10) / 1e6;
    const reviewer = (2000 * 2 + 100 * 8) / 1e6;
    expect(report.byRole).toEqual([
      { key: 'planner', promptTokens: 2700, completionTokens: 730, costUsd: planner, unpriced: 0, entries: 1 },
      { key: 'reviewer', promptTokens: 2000, completionTokens: 100, costUsd: reviewer, unpriced: 0, entries: 1 },
      { key: 'implementer', promptTokens: 400, completionTokens: 600, costUsd: 0, unpriced: 1, entries: 1 },
    ]);
    expect(report.byModel.map((l) => l.key)).toEqual(['gpt-5', 'review-model', 'local-coder']);
    expect(report.byTask.map((l) => [l.key, l.promptTokens])).toEqual([['project', 4700], [task, 400]]);
    expect(report.total.costUsd).toBeCloseTo(planner + reviewer, 6);

    const text = ok(dir, ['cost']);
    expect(text).toContain(`Total: 5100 prompt + 1430 completion tokens, $${(planner + reviewer).toFixed(4)} (+1 unpriced) in 3 recorded calls.`);
    expect(text).toMatch(/planner\s+2700\s+730\s+\$0\.0107/);
    expect(text).toContain('Unpriced: models with no price');
    expect(read(dir, '.agents/memory/project.md')).toContain('calls: 2\nfor: plan');
  });

  it('says so when nothing has been recorded', () => {
    const dir = makeProject();
    expect(ok(dir, ['cost'])).toContain('No model calls recorded yet');
  });
});
