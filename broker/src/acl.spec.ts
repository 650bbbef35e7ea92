import { authorizePublish, authorizeSubscribe } from './acl';
import { PrinterClaims } from './printer-claims';
import { filterCovers } from './topic-filter';

describe('filterCovers', () => {
  it.each([
    ['printfleet/v1/#', 'printfleet/v1/printers/+/state', true],
    ['printfleet/v1/#', 'printfleet/v1/#', true],
    ['printfleet/v1/#', 'printfleet/#', false],
    ['printfleet/v1/#', '#', false],
    ['printfleet/v1/printers/+/cmd/+', 'printfleet/v1/printers/mk3/cmd/start', true],
    ['printfleet/v1/printers/+/cmd/+', 'printfleet/v1/printers/mk3/cmd/#', false],
    ['printfleet/v1/printers/+/cmd/+', 'printfleet/v1/printers/mk3/cmd', false],
    ['printfleet/v1/printers/mk3/cmd/+', 'printfleet/v1/printers/+/cmd/+', false],
  ])('%s covers %s: %s', (allowed, requested, expected) => expect(filterCovers(allowed, requested)).toBe(expected));
});

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
});
