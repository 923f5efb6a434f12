import { describe, expect, it } from 'vitest';
import { forTerminal } from '../src/core/terminal.js';

// Colour is painted by baton itself; everything else on a terminal line came from a file.
describe('forTerminal', () => {
  const hostile = 'title\u001b]0;pwned\u0007 \u001b[2J \u001b[8mhidden\r over \u009b31m';

  it('shows every control character of data as text when colour is off', () => {
    const shown = forTerminal(`\u001b[32mdone\u001b[39m ${hostile}`);
    expect(shown).not.toMatch(/[\u0007\u001b\r\u009b]/);
    expect(shown).toContain('\\x1b[32mdone\\x1b[39m');
    expect(shown).toContain('\\x1b]0;pwned\\x07');
  });

  it('keeps only baton\'s own colour codes when colour is on, never a cursor move, a title, a concealed run or a CR', () => {
    const shown = forTerminal(`\u001b[32mdone\u001b[39m ${hostile}`, { keepColour: true });
    expect(shown.startsWith('\u001b[32mdone\u001b[39m ')).toBe(true);
    expect(shown).toContain('\\x1b]0;pwned\\x07');
    expect(shown).toContain('\\x1b[2J');
    expect(shown).toContain('\\x1b[8mhidden\\x0d over \\x9b31m');
    // Only the two colour codes survive as real escapes.
    expect(shown.match(/\u001b/g)).toHaveLength(2);
  });
});
