/**
 * The first eval project: a web shop that sells prints (14 tasks: chains, a
 * diamond, a shared file, a failed attempt, a review with plan changes,
 * decisions, a reopen and a follow-up, unrelated tasks). Labels first, in
 * FACTS, before any prompt was read.
 */
export const name = 'shop';
export const description = 'a web shop (19 tasks, short entries, lessons from three later tasks)';
export const TARGETS = ['C', 'E', 'G', 'H', 'I', 'J', 'N', 'O', 'P'];
const ALL = TARGETS;
const but = (...keys) => ALL.filter((k) => !keys.includes(k));

// ---- The labels, declared before anything is built or measured. ----
// code: the unique word planted; must: target tasks whose prompt must carry it; distractor: tasks whose prompt must not.
export const FACTS = [
  { code: 'GOAL-ORCHID', where: 'plan Goal', must: ALL, distractor: [] },
  { code: 'CONS-BASALT', where: 'plan Constraints', must: ALL, distractor: [] },
  { code: 'CONV-TULIP', where: 'plan ## Conventions (user prose)', must: ALL, distractor: [] },
  { code: 'PH-UI-MAPLE', where: 'plan Phases, UI line', must: ['C', 'E', 'I'], distractor: ['G', 'H', 'J', 'N'] },
  { code: 'PH-AUTH-CEDAR', where: 'plan Phases, Auth line', must: ['G'], distractor: but('G') },
  { code: 'SIG-COBALT', where: 'A result (grand-parent interface)', must: ['C', 'E', 'H', 'I', 'J'], distractor: ['G', 'N'] },
  { code: 'CENTS-QUARTZ', where: 'A decision', must: ['C', 'E', 'H', 'I', 'J'], distractor: ['G', 'N'] },
  { code: 'CUR-JADE', where: 'B result', must: ['C', 'E', 'I'], distractor: ['G', 'N'] },
  { code: 'PRICE-AMBER', where: 'C result', must: ['E', 'I'], distractor: ['G', 'N'] },
  { code: 'D-FAIL-OPAL', where: 'D first result (superseded by its success)', must: [], distractor: ['E', 'H', 'J', 'G', 'N'] },
  { code: 'TAX-GARNET', where: 'D result', must: ['E', 'H', 'J'], distractor: ['G', 'N'] },
  { code: 'BANKER-TEAL', where: 'D bug (J follows D)', must: ['J'], distractor: ['C', 'G', 'N'] },
  { code: 'SESS-ONYX', where: 'F result', must: ['G'], distractor: ['C', 'E', 'N'] },
  { code: 'CACHE-TOPAZ', where: 'L bug; L\'s commits touched src/checkout.ts, the bug does not name it', must: ['E'], distractor: ['C', 'G', 'N'] },
  { code: 'SMTP-IRIS', where: 'M decision (unrelated task)', must: [], distractor: ALL },
  { code: 'MAIL-LILAC', where: 'M note (unrelated task)', must: [], distractor: ALL },
  { code: 'TRIGRAM-SAGE', where: 'K result (unrelated task)', must: [], distractor: ALL },
  { code: 'PDF-FAIL-SLATE', where: 'H failed result', must: ['H'], distractor: but('H') },
  { code: 'EMPTY-LINE-CORAL', where: 'H bug in the failed attempt', must: ['H'], distractor: but('H') },
  { code: 'NOCACHE-PEARL', where: 'review decision naming E', must: ['E'], distractor: but('E') },
  { code: 'LOG-MINT', where: 'review decision, project-wide', must: ALL, distractor: [] },
  { code: 'ROTATE-PLUM', where: 'review decision naming src/auth/session.ts (a G file)', must: ['G'], distractor: ['C', 'E', 'N'] },
  { code: 'FLOAT-LIFT-AZURE', where: 'review plan change, project-wide', must: ALL, distractor: [] },
  { code: 'INTL-CORAL', where: 'review plan change naming src/price.tsx (C\'s file)', must: ['C'], distractor: ['G', 'J', 'N'] },
  { code: 'FOLLOW-VIOLET', where: 'review follow-up reason for J', must: ['J'], distractor: but('J') },
  { code: 'REOPEN-OCHRE', where: 'review reopen reason for I', must: ['I'], distractor: but('I') },
  // Lessons (`baton lessons --update` after Q, R, S): one bug class worded three ways, all about src/money.ts / `formatMoney`
  // (O touches src/money.ts); a decision about `priceRounding` that S contradicts (P's text names `priceRounding`).
  { code: 'LESSON-NAN-FIG', where: 'Q bug (names `formatMoney`)', must: ['O'], distractor: but('O'), category: 'lesson' },
  { code: 'LESSON-CENTS-PLUM', where: 'R bug (a stack trace through formatMoney in src/money.ts)', must: ['O'], distractor: but('O'), category: 'lesson' },
  { code: 'LESSON-MAIL-KIWI', where: 'S bug (names money.ts by its bare name)', must: ['O'], distractor: but('O'), category: 'lesson' },
  { code: 'LESSON-EVEN-SHOP', where: 'S decision contradicting Q\'s about `priceRounding`', must: ['P'], distractor: but('P'), category: 'lesson' },
];
// A direct dependency's result, by target: must be kept at every budget.
export const DEP_RESULTS = { C: ['CUR-JADE'], E: ['PRICE-AMBER', 'TAX-GARNET'], H: ['TAX-GARNET'], I: ['PRICE-AMBER'], J: ['TAX-GARNET'], G: ['SESS-ONYX'], N: [], O: [], P: [] };

const filler = (topic, i) => `${topic} detail ${i}: kept the function small, added a unit test for the edge case, and left the public signature unchanged so callers need no edit.`;

// ---- The scenario. ----
const PLAN = `# Plan

## Goal

A small web shop that sells prints; prices shown in the buyer's currency (GOAL-ORCHID).

## Constraints

- Money is never a float anywhere in the code base (CONS-BASALT).
- Node 20, TypeScript strict, no new runtime dependencies without a review.

## Architecture

- \`src/\` holds one module per concern; UI components in \`.tsx\` files.
- Pure functions for money and tax; I/O only at the edges.

## Conventions

- Every exported function has a JSDoc line and a unit test beside it (CONV-TULIP).

## Phases

1. Core: money, currencies, tax.
2. UI: price display, checkout and reports (PH-UI-MAPLE).
3. Auth: login and logout (PH-AUTH-CEDAR).
4. Billing: invoices.
5. Ops: search, mail, docs.

## Tasks

<!-- baton:tasks:begin (generated by baton: edits inside are replaced) -->
<!-- baton:tasks:end -->
`;

export function build({ baton, git, put, ids, rmSync, join, dir, add, commitAll, commitFiles, logArgs, complete }) {
  git('init', '-q', '-b', 'main');
  put('README.md', '# shop\n');
  git('add', '-A'); git('commit', '-qm', 'Initial commit');
  baton('init');
  put('.agents/plan.md', PLAN);
  commitAll('baton init and plan');
  
  add('A', 'Money type', { files: ['src/money.ts'] });
  add('B', 'Currency table', { deps: ['A'], files: ['src/currency.ts'] });
  add('C', 'Price display', { deps: ['B'], phase: 'UI', files: ['src/price.tsx'], reqs: ['Show a price tag in the buyer\'s currency.'] });
  add('D', 'Tax rules', { deps: ['A'], files: ['src/tax.ts'] });
  add('E', 'Checkout total', { deps: ['C', 'D'], phase: 'UI', files: ['src/checkout.ts'], reqs: ['Sum the cart with tax and show it.'] });
  add('F', 'Auth login', { phase: 'Auth', files: ['src/auth/login.ts', 'src/auth/session.ts'] });
  add('G', 'Auth logout', { deps: ['F'], phase: 'Auth', files: ['src/auth/logout.ts', 'src/auth/session.ts'] });
  add('H', 'Invoice PDF', { deps: ['D'], phase: 'Billing', files: ['src/invoice.ts'] });
  add('I', 'Reports page', { deps: ['C'], phase: 'UI', files: ['src/reports.tsx'] });
  add('K', 'Search index', { phase: 'Ops', files: ['src/search.ts'] });
  add('L', 'Cart cache', { phase: 'Ops', files: ['src/cart-cache.ts'] });
  add('M', 'Email notifications', { phase: 'Ops', files: ['src/mail.ts'] });
  add('N', 'Docs site', { phase: 'Ops', files: ['docs/index.md'] });
  commitAll('Plan the shop');
  
  complete('A', { 'src/money.ts': 'export function formatMoney(cents, currency) { return `${cents}`; }\n' }, {
    summary: 'Exported `formatMoney(cents, currency)` from src/money.ts; later tasks extend it rather than add another (SIG-COBALT).',
    decisions: ['Amounts are integer cents in a `Money` record, never floats (CENTS-QUARTZ).'],
    notes: [1, 2, 3, 4].map((i) => filler('Money', i)),
  });
  complete('B', { 'src/currency.ts': 'export const CURRENCIES = { EUR: 2, JPY: 0 };\n' }, {
    summary: 'A `CURRENCIES` map of ISO code to minor-unit digits in src/currency.ts (CUR-JADE).',
    notes: [1, 2, 3].map((i) => filler('Currency', i)),
  });
  complete('C', { 'src/price.tsx': 'export function PriceTag() { return null; }\n' }, {
    summary: 'A `<PriceTag cents currency>` component in src/price.tsx (PRICE-AMBER).',
    notes: [1, 2, 3, 4, 5].map((i) => filler('Price tag', i)),
  });
  // D: a failed attempt, then a success on the same branch.
  baton('start', ids.D);
  commitFiles({ 'src/tax.ts': 'export function applyTax() {}\n' });
  baton(...logArgs('D', { outcome: 'failure', summary: 'Rounding was off by one cent on EUR totals (D-FAIL-OPAL).' }));
  commitFiles({ 'src/tax-round.ts': 'export const round = Math.round;\n' });
  baton(...logArgs('D', {
    summary: 'Exported `applyTax(cents, rate)` from src/tax.ts, rounding half-even (TAX-GARNET).',
    bugs: ['Half-even rounding surprises people who expect half-up; refunds must round the same way (BANKER-TEAL).'],
    decisions: [1, 2, 3].map((i) => filler('Tax', i)),
  }), '--done');
  baton('done', ids.D, '--merge');
  complete('F', { 'src/auth/login.ts': 'export function login() {}\n', 'src/auth/session.ts': 'export const sessions = new Map();\n' }, {
    summary: 'Login stores sessions in Redis under `sess:<id>` (SESS-ONYX).',
    bugs: ['Login throttling counts failed attempts per IP, not per account.'],
  });
  complete('K', { 'src/search.ts': 'export function search() {}\n' }, {
    summary: 'Search uses a trigram index rebuilt nightly (TRIGRAM-SAGE).', notes: [1, 2, 3].map((i) => filler('Search', i)),
  });
  complete('L', { 'src/cart-cache.ts': 'export const cache = new Map();\n', 'src/checkout.ts': 'import { cache } from "./cart-cache";\n' }, {
    summary: 'Cart lookups go through a module-level cache.',
    bugs: ['The module keeps a global cache between requests; reset it in tests or totals leak across carts (CACHE-TOPAZ).'],
  });
  complete('M', { 'src/mail.ts': 'export function send() {}\n' }, {
    summary: 'Mails go out through nodemailer.',
    decisions: ['Use an SMTP pool of 4 connections (SMTP-IRIS).'],
    notes: ['Bounce handling is left for later (MAIL-LILAC).', ...[1, 2, 3, 4, 5, 6].map((i) => filler('Mail', i))],
  });
  complete('I', { 'src/reports.tsx': 'export function Reports() { return null; }\n' }, { summary: 'A reports page listing monthly totals.' });
  // H: one failed attempt; its branch keeps the commit.
  baton('start', ids.H);
  commitFiles({ 'src/invoice.ts': 'export function invoice() {}\n' });
  baton(...logArgs('H', {
    outcome: 'failure', summary: 'PDF generation crashes; nothing renders (PDF-FAIL-SLATE).',
    bugs: ['pdfkit throws on an empty text line; skip empty lines before layout (EMPTY-LINE-CORAL).'],
  }));
  git('switch', '-q', 'main');
  
  // The Central Agent's review, pasted back by hand.
  put('review-answer.json', JSON.stringify({
    summary: 'Core and UI are mostly done; invoices fail; the reports page shows wrong totals.',
    decisions: [
      `${ids.E} must not cache totals between requests (NOCACHE-PEARL).`,
      'All logs are JSON lines, one event per line (LOG-MINT).',
      'src/auth/session.ts must rotate session ids on every privilege change (ROTATE-PLUM).',
    ],
    plan_changes: [
      'Constraint lifted: display code may format with floats; stored amounts stay integer cents (FLOAT-LIFT-AZURE).',
      'src/price.tsx renders through Intl.NumberFormat (INTL-CORAL).',
    ],
    reopen: [{ id: ids.I, reason: 'Totals are wrong for EUR: the page sums floats (REOPEN-OCHRE).' }],
    follow_ups: [{
      key: 'refunds', title: 'Refunds', phase: 'Core', depends_on: [ids.D], follows: ids.D,
      reason: 'Refunds are missing; customers are refunded by hand (FOLLOW-VIOLET).', context: 'Refund part or all of an order.', requirements: ['Refund an order with tax.'], files: ['src/refund.ts'],
    }],
  }, null, 2));
  const review = JSON.parse(baton('review', '--import', 'review-answer.json', '--json'));
  rmSync(join(dir, 'review-answer.json'));
  commitAll('Review R-001');
  const filed = JSON.stringify(review).match(/"id":"(T-[0-9a-f]+)","title":"Refunds"/) ?? JSON.stringify(review).match(/(T-[0-9a-f]+)[^T]*Refunds/);
  ids.J = filed?.[1] ?? JSON.parse(baton('task', 'list', '--json')).tasks.find((t) => t.title === 'Refunds')?.id;
  if (!ids.J) throw new Error('the review did not file the follow-up');

  // Later work: the same money bug three times, worded differently each time; a rounding decision reversed.
  add('Q', 'Receipt printer', { phase: 'Ops', files: ['src/receipt.ts'] });
  add('R', 'Wishlist', { phase: 'UI', files: ['src/wishlist.tsx'] });
  add('S', 'Price alerts', { phase: 'Ops', files: ['src/alerts.ts'] });
  add('O', 'Price rounding', { phase: 'Core', files: ['src/money.ts'], reqs: ['Round prices to the currency\'s minor unit.'] });
  add('P', 'Gift cards', { phase: 'Billing', files: ['src/giftcard.ts'], context: 'Sell gift cards; balances are rounded with `priceRounding`.' });
  commitAll('Plan more tasks');
  complete('Q', { 'src/receipt.ts': 'export function receipt() {}\n' }, {
    summary: 'Receipts print.',
    bugs: ['Receipts show NaN totals when `formatMoney` is handed a price without cents (LESSON-NAN-FIG).'],
    decisions: ['`priceRounding` is half-up.'],
  });
  complete('R', { 'src/wishlist.tsx': 'export function Wishlist() { return null; }\n' }, {
    summary: 'Wishlists work.',
    bugs: ["TypeError: Cannot read properties of undefined (reading 'cents') at formatMoney (src/money.ts:3:14) (LESSON-CENTS-PLUM)"],
  });
  complete('S', { 'src/alerts.ts': 'export function alerts() {}\n' }, {
    summary: 'Price alerts go out.',
    bugs: ['Alert e-mails say "undefined EUR": money.ts formats an amount that was never set (LESSON-MAIL-KIWI).'],
    decisions: ['`priceRounding` is half-even for every currency, instead of half-up (LESSON-EVEN-SHOP).'],
  });
  baton('lessons', '--update');
  commitAll('Lessons');
}

export const TITLES = { A: 'Money type', B: 'Currency table', C: 'Price display', D: 'Tax rules', E: 'Checkout total', F: 'Auth login', G: 'Auth logout', H: 'Invoice PDF', I: 'Reports page', J: 'Refunds', K: 'Search index', L: 'Cart cache', M: 'Email notifications', N: 'Docs site', O: 'Price rounding', P: 'Gift cards', Q: 'Receipt printer', R: 'Wishlist', S: 'Price alerts' };
