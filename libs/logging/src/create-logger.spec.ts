import { createLinePrettifier } from './create-logger';

describe('createLinePrettifier', () => {
  const prettify = createLinePrettifier();

  it('renders a pino JSON line as readable text with level and message', () => {
    const line = JSON.stringify({ level: 40, time: '2026-11-27T10:00:00.000Z', service: 'gateway', msg: 'broker unreachable' });
    const out = prettify(line).replace(/\x1b\[[0-9;]*m/g, '');
    expect(out).toMatch(/WARN.*broker unreachable/);
    expect(out).not.toContain('{');
  });

  it('passes through lines that are not JSON, unchanged', () => {
    expect(prettify('Error: boom')).toBe('Error: boom');
    expect(prettify('{not json')).toBe('{not json');
  });
});
