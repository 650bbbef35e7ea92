import type { Provider, Type } from '@nestjs/common';
import { HomeAssistantDiscovery } from './homeassistant/home-assistant-discovery.service';
import { INTEGRATION_SETTINGS, integrationSettingsFrom } from './integration-settings';
import { FleetMetrics } from './metrics/fleet-metrics';
import { MetricsAccessGuard } from './metrics/metrics-access.guard';
import { MetricsController } from './metrics/metrics.controller';

/**
 * What the gateway offers other systems (Home Assistant discovery, Prometheus metrics), wired
 * into `GatewayModule` by these two lists: they need its registry, tracker and auth services.
 */
export const INTEGRATION_CONTROLLERS: Type[] = [MetricsController];

export const INTEGRATION_PROVIDERS: Provider[] = [
  { provide: INTEGRATION_SETTINGS, useFactory: () => integrationSettingsFrom() },
  HomeAssistantDiscovery,
  FleetMetrics,
  MetricsAccessGuard,
];
