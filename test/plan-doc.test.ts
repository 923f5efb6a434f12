/** plan.md sections from a plan answer: replaced in place, everything else a person wrote kept. */
import { describe, expect, it } from 'vitest';
import { planWithSections, setSection } from '../src/agents/plan-doc.js';
import { BEGIN_MARKER, END_MARKER, PLAN_TEMPLATE } from '../src/tasks/plan.js';

describe('planWithSections', () => {
  it('fills the template and keeps the task block', () => {
    const text = planWithSections('', { goal: 'Ship it.', constraints: ['Node 20'], phases: ['API: endpoints'], tasks: [] });
    expect(text).toContain('## Goal\n\nShip it.\n\n## Constraints\n\n- Node 20\n\n## Architecture');
    expect(text).toContain('## Phases\n\n1. API: endpoints\n\n## Tasks');
    expect(text).toContain(`${BEGIN_MARKER}\n${END_MARKER}`);
    expect(PLAN_TEMPLATE).toContain('What this project is for');
    expect(text).not.toContain('What this project is for');
  });

  it('replaces only its sections in a plan a person wrote, and adds missing ones before the tasks', () => {
    const before = `# Plan for Acme\n\nIntro a person wrote.\n\n## Goal\n\nOld goal.\n\n## Notes\n\nKeep this.\n\n## Tasks\n\n${BEGIN_MARKER}\n${END_MARKER}\n`;
    const text = planWithSections(before, { goal: 'New goal.', architecture: ['SQLite'], tasks: [] });
    expect(text).toBe(`# Plan for Acme\n\nIntro a person wrote.\n\n## Goal\n\nNew goal.\n\n## Notes\n\nKeep this.\n\n## Architecture\n\n- SQLite\n\n## Tasks\n\n${BEGIN_MARKER}\n${END_MARKER}\n`);
  });

  it('appends a section to a plan with no task block', () => {
    expect(setSection('# Plan\n', 'Review notes', '- R-001: x')).toBe('# Plan\n\n## Review notes\n\n- R-001: x\n');
  });
});
