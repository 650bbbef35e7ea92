import type { PrinterState } from '@printfleet/contracts';
import { PrinterRegistry } from './printer-registry';
import type { RegistryChange } from './printer-view';
import { supersedes } from './state-order';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s)).toISOString();
const state = (
  seq: number,
  s: PrinterState['state'] = 'ready',
  ts = at(seq),
  agentId = 'pi-1',
): PrinterState => ({
  printerId: 'mk3',
  agentId,
  state: s,
  seq,
  ts,
});

describe('supersedes', () => {
  it('takes higher seqs and drops lower or equal ones from the same agent run', () => {
    expect(supersedes(undefined, state(0), false)).toBe(true);
    expect(supersedes(state(4), state(5), false)).toBe(true);
    expect(supersedes(state(5), state(5), false)).toBe(false);
    expect(supersedes(state(5), state(4), false)).toBe(false);
  });

  it('takes any seq after the agent restarted, or when a lower seq is newer (a new counter)', () => {
    expect(supersedes(state(50), state(1), true)).toBe(true);
    expect(supersedes(state(50, 'ready', at(10)), state(1, 'ready', at(20)), false)).toBe(true);
    expect(supersedes(state(50), state(1, 'ready', at(1), 'pi-2'), false)).toBe(true);
  });
});

describe('PrinterRegistry', () => {
  const setup = () => {
    const registry = new PrinterRegistry();
    const changes: RegistryChange[] = [];
    registry.onChange((c) => changes.push(c));
    return { registry, changes };
  };
  const telemetry = (ts: string) => ({
    printerId: 'mk3',
    ts,
    heaters: { tool0: { actual: 200, target: 210 } },
  });

  it('keeps the newest state and tells listeners once per accepted change', () => {
    const { registry, changes } = setup();
    expect(registry.applyState(state(2, 'printing'))).toBe(true);
    expect(registry.applyState(state(1, 'ready'))).toBe(false);
    expect(registry.get('mk3')?.state.state).toBe('printing');
    expect(changes).toHaveLength(1);
  });

  it('marks the printer unknown and drops telemetry while its agent is offline; the next state after a restart wins', () => {
    const { registry } = setup();
    registry.setAgent('pi-1', 'online');
    registry.applyState(state(9, 'printing'));
    registry.applyTelemetry(telemetry(at(9)));
    expect(registry.get('mk3')).toMatchObject({ agent: 'online', telemetry: { ts: at(9) } });
    registry.setAgent('pi-1', 'offline');
    expect(registry.get('mk3')).toMatchObject({
      agent: 'offline',
      telemetry: null,
      state: { state: 'printing' },
    });
    registry.setAgent('pi-1', 'online');
    expect(registry.applyState(state(1, 'ready', at(1)))).toBe(true);
    expect(registry.get('mk3')?.state.seq).toBe(1);
  });

  it('ignores older telemetry and forgets a printer whose retained state was cleared', () => {
    const { registry, changes } = setup();
    registry.applyState(state(1));
    registry.applyTelemetry(telemetry(at(5)));
    registry.applyTelemetry(telemetry(at(4)));
    expect(registry.get('mk3')?.telemetry?.ts).toBe(at(5));
    registry.removePrinter('mk3');
    expect(registry.list()).toEqual([]);
    expect(changes.at(-1)).toEqual({ kind: 'removed', printerId: 'mk3' });
  });

  it('keeps the last ten events per printer', () => {
    const { registry } = setup();
    registry.applyState(state(1));
    for (let i = 0; i < 12; i++)
      registry.applyEvent({ type: 'printer.error', printerId: 'mk3', ts: at(i), reason: `e${i}` });
    expect(
      registry.get('mk3')?.recentEvents.map((e) => (e.type === 'printer.error' ? e.reason : '')),
    ).toEqual(Array.from({ length: 10 }, (_, i) => `e${i + 2}`));
  });
});
