import { serviceAvailabilityTopic } from '@printfleet/contracts';
import { runService } from '@printfleet/service-kit';
import { JobServiceModule } from './job-service.module';

void runService({
  name: 'job-service',
  mqttUsername: () => 'job-service',
  availabilityTopic: () => serviceAvailabilityTopic('job-service'),
  module: JobServiceModule,
});
