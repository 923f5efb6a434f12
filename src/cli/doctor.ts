import type { CommandModule } from 'yargs';
import { formatProblem } from '../core/errors.js';
import { openProject } from '../project/context.js';
import { doctor, type DoctorCheck } from '../project/doctor.js';
import { cwdOf, json, out, type GlobalArgs } from './output.js';

const command: CommandModule<object, GlobalArgs & { fix: boolean }> = {
  command: 'doctor',
  describe: 'Validate .agents/ and the memory against history; report every problem with file:line',
  builder: (y) =>
    y
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON' })
      .option('fix', { type: 'boolean', default: false, describe: 'Repair what can be repaired safely' }) as never,
  handler: async (argv) => {
    const project = openProject(cwdOf(argv), { lenientConfig: true });
    const { memoryCheck } = await import('../hook/doctor-check.js');
    const checks: DoctorCheck[] = [memoryCheck];
    const report = await doctor(project, { fix: argv.fix, checks });
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const warnings = report.problems.length - errors;
    process.exitCode = errors ? 1 : 0;
    if (argv.json) return json(report);
    for (const p of report.problems) out(formatProblem(p));
    for (const f of report.fixed) out(`fixed: ${f}`);
    out(
      report.problems.length
        ? `\n${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${report.tasks} task${report.tasks === 1 ? '' : 's'}`
        : `All good: ${report.tasks} task${report.tasks === 1 ? '' : 's'}, no problems.`,
    );
  },
};
export default command;
