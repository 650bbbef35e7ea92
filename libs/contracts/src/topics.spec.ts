import { COMMAND_VERBS } from './schemas/commands';
import {
  agentAvailabilityTopic,
  parseTopic,
  printerCommandReplyTopic,
  printerCommandTopic,
  printerStateTopic,
  printerStreamTopic,
  PRINTER_STREAMS,
  serviceAvailabilityTopic,
} from './topics';

describe('topics', () => {
  it('builds the topics of the v1 table', () => {
    expect(printerStateTopic('mk3-1')).toBe('printfleet/v1/printers/mk3-1/state');
    expect(printerCommandTopic('mk3-1', 'start')).toBe('printfleet/v1/printers/mk3-1/cmd/start');
    expect(printerCommandReplyTopic('mk3-1', 'pause')).toBe('printfleet/v1/printers/mk3-1/cmd/pause/reply');
    expect(agentAvailabilityTopic('pi-1')).toBe('printfleet/v1/agents/pi-1/availability');
  });

  it('refuses ids that would break a topic', () => {
    expect(() => printerStateTopic('a/b')).toThrow(/invalid printer id "a\/b"/);
    expect(() => printerStateTopic('#')).toThrow(/invalid printer id/);
    expect(() => agentAvailabilityTopic('+')).toThrow(/invalid agent id/);
  });

  it('parses every built topic back to its parts', () => {
    for (const stream of PRINTER_STREAMS) {
      expect(parseTopic(printerStreamTopic('p.1', stream))).toEqual({ kind: 'printer-stream', printerId: 'p.1', stream });
    }
    for (const verb of COMMAND_VERBS) {
      expect(parseTopic(printerCommandTopic('p_2', verb))).toEqual({ kind: 'printer-command', printerId: 'p_2', verb });
      expect(parseTopic(printerCommandReplyTopic('p_2', verb))).toEqual({
        kind: 'printer-command-reply',
        printerId: 'p_2',
        verb,
      });
    }
    expect(parseTopic(agentAvailabilityTopic('pi'))).toEqual({ kind: 'agent-availability', agentId: 'pi' });
    expect(parseTopic(serviceAvailabilityTopic('gateway'))).toEqual({ kind: 'service-availability', service: 'gateway' });
  });

  it.each([
    'printfleet/v1/printers/p1/cmd/explode',
    'printfleet/v1/printers/p1/state/extra',
    'printfleet/v1/printers/+/state',
    'printfleet/v2/printers/p1/state',
    'printfleet/v1/services/unknown/availability',
    'other/topic',
  ])('returns null for %s, which is not in the contract', (topic) => expect(parseTopic(topic)).toBeNull());
});
