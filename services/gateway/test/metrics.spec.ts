import type { INestApplication } from '@nestjs/common';
import { PrinterRegistry } from '../src/printers/printer-registry';
import type { PrinterView } from '../src/printers/printer-view';
import { FakeAgent } from './support/fake-agent';
import { ADMIN_PASSWORD, startGateway, type Harness } from './support/gateway-harness';
import { ApiClient } from './support/http-client';
import { parsePrometheusText, sampleValue } from './support/prometheus-text';

/** Resolves when the gateway's registry holds a printer view that passes `check`. */
function registryHas(app: INestApplication, printerId: string, check: (p: PrinterView) => boolean): Promise<void> {
  const registry = app.get(PrinterRegistry);
  return new Promise((resolve) => {
    const now = registry.get(printerId);
    if (now && check(now)) return resolve();
    const stop = registry.onChange((c) => {
      if (c.kind !== 'printer' || c.printer.printerId !== printerId || !check(c.printer)) return;
      stop();
      resolve();
    });
  });
}

describe('GET /metrics', () => {
  let h: Harness;
  let admin: ApiClient;

  beforeAll(async () => {
    h = await startGateway();
    admin = await ApiClient.login(h.base, 'admin', ADMIN_PASSWORD);
    const agent = new FakeAgent(h.agent);
    await agent.online();
    await agent.state('mk3-a', 'printing', { job: { id: 'job-1', progress: 40, fileName: 'benchy.gcode' } });
    await agent.state('mini-b', 'ready');
    await agent.telemetry('mk3-a', [214.5, 215], [59.8, 60], { id: 'job-1', progress: 42.5, elapsedS: 600, remainingS: 810 }, { linesPerS: 38.4, resends: 3, timeouts: 1 });
    await registryHas(h.app, 'mk3-a', (p) => p.telemetry !== null);
    await registryHas(h.app, 'mini-b', () => true);
  });

  afterAll(() => h?.close());

  it('answers 401 without a session or API key', async () => {
    const res = await new ApiClient(h.base).get('/metrics');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('serves the fleet as Prometheus text to a logged-in user', async () => {
    const res = await admin.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const samples = parsePrometheusText(res.body as string);

    expect(sampleValue(samples, 'printfleet_printer_state', { printer: 'mk3-a', state: 'printing' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_printer_state', { printer: 'mk3-a', state: 'ready' })).toBe(0);
    expect(sampleValue(samples, 'printfleet_printer_state', { printer: 'mini-b', state: 'ready' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_printers', { state: 'printing' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_printers', { state: 'ready' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_printers', { state: 'error' })).toBe(0);
    expect(sampleValue(samples, 'printfleet_printer_heater_temperature_celsius', { printer: 'mk3-a', heater: 'tool0' })).toBe(214.5);
    expect(sampleValue(samples, 'printfleet_printer_heater_target_celsius', { printer: 'mk3-a', heater: 'bed' })).toBe(60);
    expect(sampleValue(samples, 'printfleet_printer_job_progress_ratio', { printer: 'mk3-a', job: 'job-1' })).toBe(0.425);
    expect(sampleValue(samples, 'printfleet_printer_job_remaining_seconds', { printer: 'mk3-a' })).toBe(810);
    expect(sampleValue(samples, 'printfleet_printer_job_progress_ratio', { printer: 'mini-b' })).toBeUndefined();
    expect(sampleValue(samples, 'printfleet_printer_stream_lines_per_second', { printer: 'mk3-a' })).toBe(38.4);
    expect(sampleValue(samples, 'printfleet_printer_resends_total', { printer: 'mk3-a' })).toBe(3);
    expect(samples.filter((s) => s.name === 'printfleet_printer_resends_total').map((s) => s.labels.printer)).toEqual(['mk3-a']);
    expect(sampleValue(samples, 'printfleet_printer_stream_lines_per_second', { printer: 'mini-b' })).toBeUndefined();
    expect(sampleValue(samples, 'printfleet_agent_up', { agent: 'pi-1' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_service_up', { service: 'gateway' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_service_up', { service: 'job-service' })).toBe(0);
    expect(sampleValue(samples, 'printfleet_gateway_mqtt_connected')).toBe(1);
    // No job-service in this harness: said so, and no job counts are made up.
    expect(sampleValue(samples, 'printfleet_job_service_up')).toBe(0);
    expect(sampleValue(samples, 'printfleet_queue_length')).toBeUndefined();
    expect(sampleValue(samples, 'printfleet_jobs_ended_total')).toBeUndefined();
  });

  it('accepts an API key', async () => {
    const created = await admin.post('/api/apikeys', { label: 'prometheus' });
    const res = await new ApiClient(h.base).request('GET', '/metrics', undefined, { 'x-api-key': created.body.key });
    expect(res.status).toBe(200);
    expect(parsePrometheusText(res.body as string).length).toBeGreaterThan(0);
  });

  it('says "unknown", not the last state, for printers of an offline agent', async () => {
    await new FakeAgent(h.agent).online('offline');
    await registryHas(h.app, 'mk3-a', (p) => p.agent === 'offline');
    const samples = parsePrometheusText((await admin.get('/metrics')).body as string);
    expect(sampleValue(samples, 'printfleet_printer_state', { printer: 'mk3-a', state: 'unknown' })).toBe(1);
    expect(sampleValue(samples, 'printfleet_printer_state', { printer: 'mk3-a', state: 'printing' })).toBe(0);
    expect(sampleValue(samples, 'printfleet_printers', { state: 'unknown' })).toBe(2);
    expect(sampleValue(samples, 'printfleet_agent_up', { agent: 'pi-1' })).toBe(0);
    expect(sampleValue(samples, 'printfleet_printer_heater_temperature_celsius', { printer: 'mk3-a' })).toBeUndefined();
    expect(sampleValue(samples, 'printfleet_printer_stream_lines_per_second', { printer: 'mk3-a' })).toBeUndefined();
    expect(sampleValue(samples, 'printfleet_printer_resends_total', { printer: 'mk3-a' })).toBeUndefined();
  });
});

describe('GET /metrics with PRINTFLEET_METRICS_PUBLIC=true', () => {
  let h: Harness;

  beforeAll(async () => {
    // Read from the environment at module creation, as in production.
    process.env.PRINTFLEET_METRICS_PUBLIC = 'true';
    try {
      h = await startGateway();
    } finally {
      delete process.env.PRINTFLEET_METRICS_PUBLIC;
    }
  });

  afterAll(() => h?.close());

  it('needs no authentication, while the rest of the API still does', async () => {
    const anonymous = new ApiClient(h.base);
    const res = await anonymous.get('/metrics');
    expect(res.status).toBe(200);
    expect(sampleValue(parsePrometheusText(res.body as string), 'printfleet_gateway_mqtt_connected')).toBe(1);
    expect((await anonymous.get('/api/printers')).status).toBe(401);
  });
});

describe('the Prometheus text reader used above', () => {
  it('refuses what Prometheus would refuse', () => {
    expect(() => parsePrometheusText('up 1\n# TYPE up gauge\n')).toThrow(/after its samples/);
    expect(() => parsePrometheusText('bad-name 1\n')).toThrow(/not a valid sample/);
    expect(() => parsePrometheusText('x{a="1} 1\n')).toThrow(/not a valid sample/);
    expect(parsePrometheusText('# TYPE x gauge\nx{a="q\\"\\\\"} +Inf\n')).toEqual([{ name: 'x', labels: { a: 'q"\\' }, value: Infinity }]);
  });
});
