import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { buildAsyncApiDocument } from './asyncapi';
import { COMMAND_VERBS } from './schemas/commands';

const docPath = resolve(__dirname, '../../../docs/mqtt-api.yaml');
const { version } = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8')) as { version: string };

describe('docs/mqtt-api.yaml', () => {
  const generated = buildAsyncApiDocument(version);

  // `UPDATE_ASYNCAPI=1 npx jest asyncapi` rewrites the document after a deliberate contract change.
  if (process.env.UPDATE_ASYNCAPI === '1') {
    writeFileSync(docPath, `# Generated from libs/contracts: do not edit by hand.\n${stringify(generated)}`);
  }

  it('matches the schemas of the contracts lib', () => {
    expect(parse(readFileSync(docPath, 'utf8'))).toEqual(generated);
  });

  it('documents every command verb and its reply', () => {
    const channels = generated.channels as Record<string, { address: string }>;
    const addresses = Object.values(channels).map((c) => c.address);
    for (const verb of COMMAND_VERBS) {
      expect(addresses).toContain(`printfleet/v1/printers/{printerId}/cmd/${verb}`);
      expect(addresses).toContain(`printfleet/v1/printers/{printerId}/cmd/${verb}/reply`);
    }
  });
});
