import { serviceAvailabilityTopic } from '@printfleet/contracts';
import { runService } from '@printfleet/service-kit';
import { GatewayModule } from './gateway.module';

void runService({
  name: 'gateway',
  mqttUsername: () => 'gateway',
  availabilityTopic: () => serviceAvailabilityTopic('gateway'),
  module: GatewayModule,
  http: true,
});
