import {
  filterCovers,
  HOMEASSISTANT_ROOT,
  homeAssistantDiscoveryPattern,
  parseTopic,
  serviceAvailabilityTopic,
  TOPIC_PATTERNS,
  topicMatches,
} from '@printfleet/contracts';
import type { MqttAccount } from '@printfleet/mqtt-accounts';
import type { PrinterClaims } from './printer-claims';

export type Decision = { allowed: true } | { allowed: false; reason: string };
const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

type Principal = Pick<MqttAccount, 'username' | 'role' | 'agentId'>;

/** Site settings the policy depends on. */
export interface AclOptions {
  /** Home Assistant's discovery prefix (`PRINTFLEET_HA_DISCOVERY_PREFIX`): only the gateway writes there. */
  discoveryPrefix: string;
}
const DEFAULTS: AclOptions = { discoveryPrefix: HOMEASSISTANT_ROOT };

/** Subscription patterns granted to each role (wildcards from the contracts lib only). */
function subscribePatterns(who: Principal, options: AclOptions): string[] {
  const readPublic = [TOPIC_PATTERNS.everything, homeAssistantDiscoveryPattern(options.discoveryPrefix)];
  switch (who.role) {
    case 'observer':
    case 'controller':
      return readPublic;
    case 'gateway':
    case 'job-service':
      return [...readPublic, TOPIC_PATTERNS.internal];
    case 'agent':
      return [TOPIC_PATTERNS.printerCommands, TOPIC_PATTERNS.agentSubtree(who.agentId!), TOPIC_PATTERNS.internal];
  }
}

/**
 * The broker's whole policy, as pure functions of (account, topic, claims): the Aedes hooks
 * only call these. Built from the contracts' builders and parser, never from spelt topics.
 */
export function authorizeSubscribe(who: Principal, filter: string, options: AclOptions = DEFAULTS): Decision {
  return subscribePatterns(who, options).some((p) => filterCovers(p, filter))
    ? allow
    : deny(`${who.username} (${who.role}) may not subscribe to ${filter}`);
}

export function authorizePublish(
  who: Principal,
  topic: string,
  retain: boolean,
  claims: PrinterClaims,
  options: AclOptions = DEFAULTS,
): Decision {
  const parsed = parseTopic(topic);
  const no = deny(`${who.username} (${who.role}) may not publish to ${topic}`);
  // A retained command would be replayed to every agent that reconnects: never accept one.
  if (parsed?.kind === 'printer-command' && retain) return deny(`commands must not be retained (${topic})`);
  switch (who.role) {
    case 'observer':
      return no;
    case 'controller':
      return parsed?.kind === 'printer-command' ? allow : no;
    case 'gateway':
    case 'job-service':
      if (parsed?.kind === 'printer-command' || parsed?.kind === 'internal') return allow;
      // Printer settings (names, scripts) are the job-service's truth: nobody else may retain them.
      if (parsed?.kind === 'printer-settings') return who.role === 'job-service' ? allow : no;
      // The gateway sees every printer, so it alone publishes Home Assistant's discovery configs.
      if (who.role === 'gateway' && topicMatches(homeAssistantDiscoveryPattern(options.discoveryPrefix), topic))
        return allow;
      return topic === serviceAvailabilityTopic(who.role) ? allow : no;
    case 'agent': {
      if (topicMatches(TOPIC_PATTERNS.agentSubtree(who.agentId!), topic)) return allow;
      if (parsed?.kind === 'internal') return allow;
      if (parsed?.kind !== 'printer-stream' && parsed?.kind !== 'printer-command-reply') return no;
      return claims.claim(parsed.printerId, who.agentId!)
        ? allow
        : deny(`printer ${parsed.printerId} belongs to agent ${claims.ownerOf(parsed.printerId)}, not ${who.agentId}`);
    }
  }
}

/** Per-message delivery filter: an agent receives only the commands of its own printers. */
export function authorizeDelivery(who: Principal, topic: string, claims: PrinterClaims): boolean {
  if (who.role !== 'agent') return true;
  const parsed = parseTopic(topic);
  if (parsed?.kind !== 'printer-command') return true;
  return claims.ownerOf(parsed.printerId) === who.agentId;
}
