import { printerSettingsTopic, TOPIC_PATTERNS } from '@printfleet/contracts';
import { authorizePublish, authorizeSubscribe } from './acl';
import { PrinterClaims } from './printer-claims';

describe('ACL policy', () => {
  const agent = (id: string) => ({ username: `agent-${id}`, role: 'agent' as const, agentId: id });

  it('gives an unclaimed printer to the first agent that publishes for it, and to no other', () => {
    const claims = new PrinterClaims();
    expect(authorizePublish(agent('a'), 'printfleet/v1/printers/p1/state', true, claims)).toEqual({ allowed: true });
    expect(authorizePublish(agent('b'), 'printfleet/v1/printers/p1/telemetry', false, claims)).toEqual({
      allowed: false,
      reason: 'printer p1 belongs to agent a, not b',
    });
    claims.release('p1', 'a');
    expect(authorizePublish(agent('b'), 'printfleet/v1/printers/p1/state', true, claims).allowed).toBe(true);
  });

  it('keeps agents out of commands, other agents and services', () => {
    const claims = new PrinterClaims();
    expect(authorizePublish(agent('a'), 'printfleet/v1/printers/p1/cmd/start', false, claims).allowed).toBe(false);
    expect(authorizePublish(agent('a'), 'printfleet/v1/agents/b/availability', true, claims).allowed).toBe(false);
    expect(authorizePublish(agent('a'), 'printfleet/v1/services/gateway/availability', true, claims).allowed).toBe(false);
    expect(authorizeSubscribe(agent('a'), 'printfleet/v1/printers/+/state').allowed).toBe(false);
  });

  it('lets a controller command printers but not impersonate one', () => {
    const who = { username: 'ha', role: 'controller' as const };
    const claims = new PrinterClaims();
    expect(authorizePublish(who, 'printfleet/v1/printers/p1/cmd/pause', false, claims).allowed).toBe(true);
    expect(authorizePublish(who, 'printfleet/v1/printers/p1/state', true, claims).allowed).toBe(false);
    expect(authorizePublish(who, 'printfleet/v1/printers/p1/cmd/pause/reply', false, claims).allowed).toBe(false);
  });

  it('lets only the gateway publish Home Assistant discovery, under the configured prefix', () => {
    const claims = new PrinterClaims();
    const topic = 'homeassistant/sensor/printfleet_p1/state/config';
    const gateway = { username: 'gateway', role: 'gateway' as const };
    expect(authorizePublish(gateway, topic, true, claims)).toEqual({ allowed: true });
    expect(authorizePublish(gateway, 'homeassistant/button/printfleet_p1/pause/config', true, claims).allowed).toBe(true);
    for (const who of [
      { username: 'jobs', role: 'job-service' as const },
      { username: 'ha', role: 'controller' as const },
      { username: 'watch', role: 'observer' as const },
      agent('a'),
    ])
      expect(authorizePublish(who, topic, true, claims).allowed).toBe(false);

    const custom = { discoveryPrefix: 'lab/ha' };
    expect(authorizePublish(gateway, 'lab/ha/sensor/printfleet_p1/state/config', true, claims, custom).allowed).toBe(true);
    expect(authorizePublish(gateway, topic, true, claims, custom).allowed).toBe(false);
    expect(authorizeSubscribe({ username: 'ha', role: 'controller' }, 'lab/ha/#', custom).allowed).toBe(true);
    expect(authorizeSubscribe({ username: 'ha', role: 'controller' }, 'homeassistant/#', custom).allowed).toBe(false);
  });

  it('lets only the job-service set printer names and scripts; agents may read them', () => {
    const claims = new PrinterClaims();
    const topic = printerSettingsTopic('p1');
    expect(authorizePublish({ username: 'jobs', role: 'job-service' }, topic, true, claims)).toEqual({ allowed: true });
    for (const who of [
      { username: 'gateway', role: 'gateway' as const },
      { username: 'ha', role: 'controller' as const },
      { username: 'watch', role: 'observer' as const },
      agent('a'),
    ])
      expect(authorizePublish(who, topic, true, claims).allowed).toBe(false);
    expect(authorizeSubscribe(agent('a'), TOPIC_PATTERNS.printerSettings).allowed).toBe(true);
    expect(authorizeSubscribe({ username: 'watch', role: 'observer' }, TOPIC_PATTERNS.printerSettings).allowed).toBe(false);
  });
});
