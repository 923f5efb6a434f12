/**
 * A scripted 60-task history, written straight into `.agents/` as baton's
 * commands and hooks would have left it (task files, memory files with
 * attempts, commits, checks, results, bugs, decisions, notes), in one commit:
 * fast enough to build per test. Fifty tasks are done, ten are open.
 *
 * Planted: one bug class in three tasks, worded differently each time (a bug,
 * a failed check's stack trace, a bug naming the file by its bare name) that
 * all name `src/billing/money.ts` and `sumLines`; a decision about
 * `roundCents` that a later task contradicts. Everything else is the noise a
 * real project makes: one-off bugs, a generic error in two unrelated places, a
 * file and a symbol that two bugs name, checks that failed for other reasons,
 * retries, refined and repeated decisions, notes full of error words.
 */
import { join } from 'node:path';
import { git, makeProject, write } from './repo.js';

export const BUG_FILE = 'src/billing/money.ts';
export const BUG_SYMBOL = 'sumLines';
export const DECISION_SYMBOL = 'roundCents';
export const BUG_WORDS = ['Invoice totals come out as NaN', 'AssertionError: expected NaN to equal 1250', 'Refund endpoint answered 500'];

const PHASES = ['Core', 'API', 'UI', 'Billing', 'Reports', 'Ops'];
const AREA: Record<string, string> = { Core: 'core', API: 'api', UI: 'ui', Billing: 'billing', Reports: 'reports', Ops: 'ops' };
const NOUNS = ['config', 'users', 'search', 'export', 'audit', 'cache', 'mail', 'session', 'upload', 'metrics'];

export interface OpenTask {
  key: string;
  phase: string;
  files: string[];
  context: string;
}

/** The open tasks: what each touches, so a test can say which lessons must reach it. */
export const OPEN: OpenTask[] = [
  { key: 'money-file', phase: 'Core', files: [BUG_FILE], context: 'Add currency conversion next to the other money helpers.' },
  { key: 'sum-symbol', phase: 'Reports', files: ['src/reports/quarterly.ts'], context: 'Quarterly totals, summed with `sumLines` like the monthly report.' },
  { key: 'round-symbol', phase: 'API', files: ['src/api/quotes.ts'], context: 'Quotes round each line with `roundCents` before summing.' },
  { key: 'billing-phase', phase: 'Billing', files: ['src/billing/dunning.ts'], context: 'Send reminders for unpaid invoices.' },
  { key: 'both', phase: 'UI', files: [BUG_FILE, 'src/ui/cart.tsx'], context: 'Show the cart total; round with `roundCents`.' },
  { key: 'named-file', phase: 'Ops', files: ['scripts/reconcile.ts'], context: `Reconcile payouts; reads ${BUG_FILE} directly.` },
  { key: 'near-miss', phase: 'Core', files: ['src/billing/money-format.ts'], context: 'Format amounts for display with `sumLinesCached` results, never `roundCentsLegacy`.' },
  { key: 'ui', phase: 'UI', files: ['src/ui/theme.css'], context: 'A dark theme.' },
  { key: 'ops', phase: 'Ops', files: ['deploy/compose.yaml'], context: 'Run the app in containers.' },
  { key: 'api', phase: 'API', files: ['src/api/health.ts'], context: 'A health endpoint.' },
];

const hex = (n: number) => n.toString(16).padStart(3, '0');
export const doneId = (i: number) => `T-a${hex(i)}`;
export const openId = (key: string) => `T-b${hex(OPEN.findIndex((o) => o.key === key))}`;

let tick = 0;
const time = () => new Date(Date.UTC(2026, 10, 1, 8, 0, 0) + 60_000 * tick++).toISOString().replace(/\.\d{3}Z$/, 'Z');
const entry = (kind: string, body: string, ref?: string) => `## ${time()} ${kind}${ref ? ` ${ref}` : ''}\n${body}\n`;
const commit = (subject: string, files: string[]) => entry('commit', `${subject}\n\n${files.map((f) => `- ${f} +12 -3`).join('\n')}`, `${(0xc0ffee0 + tick).toString(16)}`);
const check = (command: string, ok: boolean, output = '') => entry('check', `\`${command}\` exited ${ok ? 0 : 1} in 4.2s${output ? `\n\n\`\`\`\n${output}\n\`\`\`` : ''}`, ok ? 'pass' : 'fail');

/** What each done task logged beyond its attempt, commit and result: the planted problems and the noise. */
function extras(i: number, file: string): string[] {
  switch (i) {
    case 3: return [entry('bug', 'Avatar upload keeps `undefined` as the file name when the browser sends none.')];
    case 4: return [entry('note', 'Error handling follows the existing middleware; failed requests are retried once and errors are logged.')];
    case 5: return [entry('decision', `\`${DECISION_SYMBOL}\` uses half-up rounding on every line.`)];
    case 7: return [entry('bug', 'Dates before 1970 parse wrong in `parseDate` (src/core/dates.ts).')];
    case 9: return [entry('bug', "TypeError: Cannot read properties of undefined (reading 'name') at src/ui/profile.ts:12")];
    case 10: case 26: return [entry('attempt', 'Attempt 2.'), commit('Retry', [file])];
    case 12: return [entry('bug', `${BUG_WORDS[0]}: \`${BUG_SYMBOL}\` adds a line whose amount is missing (${BUG_FILE}).`)];
    case 15: return [entry('bug', 'Login accepts an expired token in src/api/auth.ts.')];
    case 18: return [check('npm test', false, "Error: Cannot find module 'pg'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)"), check('npm test', true)];
    case 20: return [entry('decision', '`cacheTtl` is 60 seconds.')];
    case 22: return [entry('decision', '`logFormat` is JSON lines.')];
    case 24: return [entry('bug', 'Search returns `undefined` for an empty query.'), check('npm run lint', false, "src/core/search.ts\n  3:7  error  'x' is assigned a value but never used  no-unused-vars"), check('npm run lint', true)];
    case 27: return [entry('bug', 'Metrics export sends `undefined` labels to the collector.')];
    case 28: return [entry('bug', "TypeError: Cannot read properties of undefined (reading 'rows') at src/reports/export.ts:88")];
    case 31: return [check('npm test', false, `FAIL test/reports.test.ts > monthly report\n${BUG_WORDS[1]}\n    at ${BUG_SYMBOL} (${BUG_FILE}:17:9)\n    at monthlyReport (src/reports/monthly.ts:40:3)`), check('npm test', true)];
    case 33: return [entry('decision', '`cacheTtl` is 60 seconds, per route.')];
    case 36: return [entry('bug', 'Session cookie is not refreshed after a password change (src/api/auth.ts).')];
    case 37: return [entry('decision', '`logFormat` is JSON lines.')];
    case 40: return [entry('decision', `\`${DECISION_SYMBOL}\` uses half-even (banker's) rounding instead of half-up, to match the tax office.`)];
    case 43: return [entry('bug', 'Timezone offsets are dropped by `parseDate` for ISO strings without seconds.')];
    case 47: return [entry('bug', `${BUG_WORDS[2]}: reading 'cents' of an undefined line inside ${BUG_SYMBOL}() in money.ts.`)];
    default: return [];
  }
}

/** Build the project: returns its folder. The hooks are off; the history is committed in one commit. */
export function lessonHistory(): string {
  tick = 0;
  const dir = makeProject();
  for (let i = 0; i < 50; i++) {
    const phase = PHASES[i % PHASES.length]!;
    const file = i === 12 || i === 31 || i === 47 ? [`src/billing/invoice.ts`, 'src/reports/monthly.ts', 'src/api/refunds.ts'][[12, 31, 47].indexOf(i)]! : `src/${AREA[phase]}/${NOUNS[i % NOUNS.length]}-${i}.ts`;
    // Many tasks touch the money module: a hub, so its bugs do not reach prompts as related memory; the lesson must.
    const files = i % 7 === 0 || [12, 31, 47].includes(i) ? [file, BUG_FILE] : [file];
    const title = `${phase} ${NOUNS[i % NOUNS.length]} step ${i}`;
    write(dir, `.agents/tasks/${doneId(i)}-${phase.toLowerCase()}-step-${i}.md`, `---\nid: ${doneId(i)}\ntitle: ${title}\nstatus: done\ndepends_on: []\nphase: ${phase}\nfiles: [${files.join(', ')}]\n---\n## Context\n\n${title}.\n\n## Requirements\n\n## Success criteria\n`);
    const memory = [
      entry('attempt', 'Attempt 1.'),
      commit(`Implement ${title}`, files),
      entry('decision', `\`${NOUNS[i % NOUNS.length]}Limit${i}\` is ${i * 10}.`),
      ...extras(i, file),
      entry('result', `${title} works.`, 'success'),
    ];
    write(dir, `.agents/memory/${doneId(i)}.md`, `# Memory: ${doneId(i)}\n\nAppend-only log of attempts, commits, results, bugs and decisions for this task.\n\n${memory.join('\n')}`);
  }
  OPEN.forEach((o, n) => {
    write(dir, `.agents/tasks/${openId(o.key)}-${o.key}.md`, `---\nid: ${openId(o.key)}\ntitle: Open ${o.key}\nstatus: todo\ndepends_on: []\nphase: ${o.phase}\nfiles: [${o.files.join(', ')}]\n---\n## Context\n\n${o.context}\n\n## Requirements\n\n- Step ${n}.\n\n## Success criteria\n`);
  });
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-qm', 'A scripted 60-task history']);
  return dir;
}

export const tasksDir = (dir: string) => join(dir, '.agents/tasks');
