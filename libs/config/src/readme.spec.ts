import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_KEYS } from './keys';

describe('README configuration table', () => {
  const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');

  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  it.each(Object.entries(CONFIG_KEYS))('documents %s with its default', (key, spec: { default?: string; shownDefault?: string }) => {
    const shown = spec.shownDefault ?? (spec.default === undefined ? '(none)' : `\`${spec.default}\``);
    // Column padding is whatever the formatter made of it.
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${key}\`\\s*\\|\\s*${escape(shown)}\\s*\\|`));
  });
});
