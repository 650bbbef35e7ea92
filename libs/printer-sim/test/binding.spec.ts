import { SerialPortStream } from '@serialport/stream';
import { numberedLine } from '../src/core/checksum';
import { SimulatedPrinter } from '../src/core/printer';
import { RealTimeScheduler } from '../src/core/scheduler';
import { SimBinding } from '../src/adapters/sim-binding';
import { closePort, LineClient } from './serial-client';

describe('in-process serialport binding', () => {
  const scheduler = new RealTimeScheduler();
  afterAll(() => scheduler.clearAll());

  function setup(options: ConstructorParameters<typeof SimulatedPrinter>[1] = {}) {
    const printer = new SimulatedPrinter(scheduler, { baudRate: 250000, latencyMs: 1, ...options });
    const binding = new SimBinding().add('/dev/ttySIM0', printer);
    const port = new SerialPortStream({ binding, path: '/dev/ttySIM0', baudRate: 250000 });
    return { printer, binding, port, client: new LineClient(port) };
  }

  it('lists FTDI-like ports and talks Marlin through SerialPortStream', async () => {
    const { binding, port, client, printer } = setup();
    expect(await binding.list()).toEqual([expect.objectContaining({ path: '/dev/ttySIM0', vendorId: '0403', productId: '6001' })]);
    await client.waitFor('start');
    expect(await client.request(numberedLine(1, 'M110 N0'))).toBe('ok');
    expect(await client.request(numberedLine(1, 'G28'), /^ok/)).toBe('ok');
    expect(printer.record.commands()).toEqual(['M110 N0', 'G28']);
    await closePort(port);
    printer.dispose();
  });

  it('refuses an unknown path and a second open of a locked port', async () => {
    const { binding, port, client, printer } = setup();
    await client.waitFor('start');
    await expect(binding.open({ path: '/dev/nope', baudRate: 115200 })).rejects.toThrow(/No such file/);
    await expect(binding.open({ path: '/dev/ttySIM0', baudRate: 115200 })).rejects.toThrow(/lock/);
    await closePort(port);
    printer.dispose();
  });

  it('a simulated unplug closes the stream with an error', async () => {
    const { port, client, printer } = setup({ faults: { disconnectAtLine: 1 } });
    await client.waitFor('start');
    const closed = new Promise<Error | null>((resolve) => port.once('close', (e: Error | null) => resolve(e)));
    port.write(numberedLine(1, 'G90') + '\n');
    expect((await closed)?.message).toMatch(/disconnected/);
    printer.dispose();
  });
});
