import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { asyncApiMessages, buildAsyncApiDocument } from './asyncapi';
import { COMMAND_VERBS } from './schemas/commands';
import { HOMEASSISTANT_COMPONENTS, homeAssistantDiscoveryTopic, printerCommandTopic, printerStateTopic } from './topics';

/** The address of a channel as a regex: each `{parameter}` is one topic level. */
const addressPattern = (address: string) => new RegExp(`^${address.replace(/\{[A-Za-z]+\}/g, '[^/+#]+')}$`);

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

  it('gives every message examples, and every example passes the schema the code validates with', () => {
    const messages = generated.components as { messages: Record<string, { examples?: { name: string; payload: unknown }[] }> };
    const specs = asyncApiMessages();
    expect(Object.keys(messages.messages).sort()).toEqual(specs.map((m) => m.name).sort());
    for (const spec of specs) {
      const documented = messages.messages[spec.name]!.examples ?? [];
      expect({ message: spec.name, examples: documented.length > 0 }).toEqual({ message: spec.name, examples: true });
      expect(documented.map((e) => e.payload)).toEqual(spec.examples.map((e) => e.payload));
      expect(new Set(documented.map((e) => e.name)).size).toBe(documented.length);
      for (const example of spec.examples) {
        const result = spec.schema.safeParse(example.payload);
        expect({ message: spec.name, example: example.name, issues: result.error?.issues ?? [] }).toEqual({
          message: spec.name,
          example: example.name,
          issues: [],
        });
      }
    }
  });

  it('would catch an invalid example', () => {
    const state = asyncApiMessages().find((m) => m.name === 'PrinterState')!;
    const good = state.examples[0]!.payload as Record<string, unknown>;
    expect(state.schema.safeParse({ ...good, seq: -1 }).success).toBe(false);
  });

  it('documents the Home Assistant discovery topic the gateway publishes', () => {
    const channels = generated.channels as Record<string, { address: string; parameters: Record<string, { enum?: string[] }>; 'x-retained'?: boolean }>;
    const discovery = channels.homeAssistantDiscovery!;
    expect(discovery['x-retained']).toBe(true);
    expect(discovery.parameters.component!.enum).toEqual([...HOMEASSISTANT_COMPONENTS]);
    for (const component of HOMEASSISTANT_COMPONENTS)
      expect(homeAssistantDiscoveryTopic('homeassistant', component, 'mk3.a_1', 'state')).toMatch(addressPattern(discovery.address));
    expect(homeAssistantDiscoveryTopic('lab/ha', 'sensor', 'mk3-a', 'state')).not.toMatch(addressPattern(discovery.address));
  });

  it('has channel addresses that the topic builders produce', () => {
    const addresses = Object.values(generated.channels as Record<string, { address: string }>).map((c) => addressPattern(c.address));
    const built = [printerStateTopic('mk3-a'), printerCommandTopic('mk3-a', 'pause'), `${printerCommandTopic('mk3-a', 'pause')}/reply`];
    for (const topic of built) expect(addresses.some((a) => a.test(topic))).toBe(true);
  });
});
