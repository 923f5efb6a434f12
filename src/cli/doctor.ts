import { formatProblem } from '../core/errors.js';
import { openProject } from '../workspace/context.js';
import { doctor } from '../workflow/doctor.js';
import type { DoctorCheck } from '../workspace/context.js';
import { defineCommand } from './command.js';
import { EXIT } from './exit-codes.js';
import { cwdOf, json, out } from './output.js';
import { painter } from './render/colour.js';
import { COMMIT_OPTION } from './plan-commit.js';

export default defineCommand({
  command: 'doctor',
  describe: 'Validate .agents/ and the memory against history; report every problem with file:line',
  options: {
    fix: { type: 'boolean', default: false, describe: 'Repair what can be repaired safely' },
    ...COMMIT_OPTION,
  },
  examples: [
    ['$0 doctor', 'every problem, like a linter; exit 1 if one is an error'],
    ['$0 doctor --fix', 'repair what is safe to repair'],
  ],
  handler: async (argv) => {
    const project = openProject(cwdOf(argv), { lenientConfig: true });
    const { memoryCheck } = await import('../memory/doctor-check.js');
    const checks: DoctorCheck[] = [memoryCheck];
    const report = await doctor(project, { fix: argv.fix, checks, commit: argv.commit });
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const warnings = report.problems.length - errors;
    process.exitCode = errors ? EXIT.failure : EXIT.ok;
    if (argv.json) return json(report);
    const paint = painter();
    for (const p of report.problems) {
      const text = formatProblem(p);
      const label = `${p.severity}:`;
      out(text.replace(label, paint(p.severity === 'error' ? 'red' : 'yellow', label)));
    }
    for (const f of report.fixed) out(`fixed: ${f}`);
    out(
      report.problems.length
        ? `\n${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${report.tasks} task${report.tasks === 1 ? '' : 's'}`
        : `All good: ${report.tasks} task${report.tasks === 1 ? '' : 's'}, no problems.`,
    );
  },
});
