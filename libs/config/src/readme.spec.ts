import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_KEYS } from './keys';

describe('README configuration table', () => {
  const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');

  it.each(Object.entries(CONFIG_KEYS))('documents %s with its default', (key, spec) => {
    const shown = spec.shownDefault ?? (spec.default === undefined ? '(none)' : `\`${spec.default}\``);
    expect(readme).toContain(`| \`${key}\` | ${shown} |`);
  });
});
