import type { Provider, Type } from '@nestjs/common';
import { HomeAssistantDiscovery } from './homeassistant/home-assistant-discovery.service';
import { INTEGRATION_SETTINGS, integrationSettingsFrom } from './integration-settings';
import { FleetMetrics } from './metrics/fleet-metrics';
import { MetricsAccessGuard } from './metrics/metrics-access.guard';
import { MetricsController } from './metrics/metrics.controller';
import { MoonrakerController } from './slicers/moonraker.controller';
import { OctoPrintController } from './slicers/octoprint.controller';
import { SlicerUploads } from './slicers/slicer-upload.service';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookNotifier } from './webhooks/webhook-notifier';
import { WebhookDeliveryStore } from './webhooks/webhook-store';

/**
 * What the gateway offers other systems (Home Assistant discovery, Prometheus metrics, the
 * OctoPrint and Moonraker endpoints slicers upload to, webhooks), wired
 * into `GatewayModule` by these two lists: they need its registry, tracker and auth services.
 */
export const INTEGRATION_CONTROLLERS: Type[] = [MetricsController, OctoPrintController, MoonrakerController];

export const INTEGRATION_PROVIDERS: Provider[] = [
  { provide: INTEGRATION_SETTINGS, useFactory: () => integrationSettingsFrom() },
  HomeAssistantDiscovery,
  FleetMetrics,
  MetricsAccessGuard,
  SlicerUploads,
  WebhookDeliveryStore,
  WebhookDispatcher,
  WebhookNotifier,
];
