import { serviceAvailabilityTopic } from '@printfleet/contracts';
import { runService } from '@printfleet/service-kit';
import { FleetInbox } from './fleet/fleet-inbox';
import { JobServiceModule } from './job-service.module';

void runService({
  name: 'job-service',
  mqttUsername: () => 'job-service',
  availabilityTopic: () => serviceAvailabilityTopic('job-service'),
  module: JobServiceModule,
  persistentSession: true,
  // The broker keeps our session while we are down and queues the agents' events (QoS 1) for us;
  // the inbox must be on the connection before it connects, or the queued events are lost.
  beforeConnect: (mqtt) => void FleetInbox.attach(mqtt),
});
