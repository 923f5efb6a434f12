// The folders are layers (see .dependency-cruiser.cjs): no folder imports one above
// it, and no two folders import each other. Static, lazy (`await import()`) and
// type-only imports all count. A failure names the rule and the files.
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as IConfiguration;

describe('architecture', () => {
  let result: ICruiseResult;

  it('has no import that goes up a layer or closes a cycle between folders', async () => {
    const out = await cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } });
    result = out.output as ICruiseResult;
    const problems = result.summary.violations.map((v) =>
      `${v.rule.name}: ${v.from} → ${v.to}${v.cycle?.length ? ` (cycle: ${v.cycle.map((c) => c.name).join(' → ')})` : ''}`);
    expect(problems).toEqual([]);
  });

  it('sees every kind of import edge, so the check above is not empty', () => {
    const edge = (from: string, to: string) =>
      result.modules.find((m) => m.source === from)?.dependencies.find((d) => d.resolved === to);
    expect(result.modules.filter((m) => m.source.startsWith('src/')).length).toBeGreaterThan(150);
    // A static import, a lazy one and a type-only one.
    expect(edge('src/cli/main.ts', 'src/cli/output.ts')?.dynamic).toBe(false);
    expect(edge('src/memory/record-check.ts', 'src/git-hooks/install.ts')?.dynamic).toBe(true);
    expect(edge('src/tasks/checkout.ts', 'src/memory/entry.ts')?.dependencyTypes).toContain('type-only');
  });
});
