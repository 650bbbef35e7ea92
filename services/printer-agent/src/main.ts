import { agentAvailabilityTopic } from '@printfleet/contracts';
import { serviceUsername } from '@printfleet/mqtt-accounts';
import { runService } from '@printfleet/service-kit';
import { PrinterAgentModule } from './printer-agent.module';

void runService({
  name: 'printer-agent',
  mqttUsername: (config) => serviceUsername('agent', config.agentId),
  availabilityTopic: (config) => agentAvailabilityTopic(config.agentId),
  module: PrinterAgentModule,
});
