import { COMMAND_VERBS } from './schemas/commands';
import {
  agentAvailabilityTopic,
  homeAssistantDiscoveryPattern,
  homeAssistantDiscoveryTopic,
  homeAssistantNodeId,
  isValidDiscoveryPrefix,
  parseTopic,
  printerCommandReplyTopic,
  printerCommandTopic,
  printerStateTopic,
  printerStreamTopic,
  PRINTER_STREAMS,
  serviceAvailabilityTopic,
  TOPIC_PATTERNS,
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

describe('Home Assistant discovery topics', () => {
  it('builds HA single-component discovery topics under a prefix', () => {
    expect(homeAssistantDiscoveryTopic('homeassistant', 'sensor', 'mk3-a', 'progress')).toBe(
      'homeassistant/sensor/printfleet_mk3-a/progress/config',
    );
    expect(homeAssistantDiscoveryTopic('lab/ha', 'button', 'p1', 'pause')).toBe('lab/ha/button/printfleet_p1/pause/config');
    expect(homeAssistantDiscoveryPattern('homeassistant')).toBe(TOPIC_PATTERNS.homeassistant);
  });

  it('escapes printer ids into HA node ids without collisions', () => {
    const ids = ['a.b', 'a_b', 'a_2eb', 'a__b', 'a-b'];
    const nodes = ids.map(homeAssistantNodeId);
    expect(nodes).toEqual(['printfleet_a_2eb', 'printfleet_a__b', 'printfleet_a__2eb', 'printfleet_a____b', 'printfleet_a-b']);
    expect(new Set(nodes).size).toBe(ids.length);
    for (const node of nodes) expect(node).toMatch(/^[a-zA-Z0-9_-]+$/);
  });

  it.each(['', 'home/+', 'home/#', '$SYS', 'a//b', '/lead', 'printfleet', 'printfleet/ha'])('refuses the prefix %j', (prefix) => {
    expect(isValidDiscoveryPrefix(prefix)).toBe(false);
    expect(() => homeAssistantDiscoveryTopic(prefix, 'sensor', 'p1', 'state')).toThrow(/invalid discovery prefix/);
  });

  it('refuses object ids and printer ids HA or MQTT would not take', () => {
    expect(() => homeAssistantDiscoveryTopic('homeassistant', 'sensor', 'p1', 'Bad Id')).toThrow(/object id/);
    expect(() => homeAssistantDiscoveryTopic('homeassistant', 'sensor', 'p/1', 'state')).toThrow(/invalid printer id/);
  });
});
