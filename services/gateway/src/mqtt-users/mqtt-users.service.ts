import { Inject, Injectable } from '@nestjs/common';
import {
  AccountError,
  AccountStore,
  PUBLIC_ROLES,
  SERVICE_ROLES,
  USERNAME_PATTERN,
  type MqttAccount,
  type PublicRole,
} from '@printfleet/mqtt-accounts';
import { GatewayError, invalidInput, notFound } from '../errors/gateway-error';
import { GATEWAY_SETTINGS, type GatewaySettings } from '../settings';

/** What the API shows of an MQTT account: never its hash. */
export interface MqttUserView {
  name: string;
  role: MqttAccount['role'];
  agentId?: string;
  createdAt: string;
  /** Service accounts (gateway, job-service, agents) are managed by `printfleet start`, not here. */
  service: boolean;
}

export const MQTT_USER_NAME_RULE =
  'an MQTT user name is 1-64 characters: letters, digits, ".", "_" or "-", starting with a letter or digit';

const isServiceName = (name: string) => name === 'gateway' || name === 'job-service' || name.startsWith('agent-');
const isService = (a: MqttAccount) => (SERVICE_ROLES as readonly string[]).includes(a.role) || isServiceName(a.username);

/**
 * MQTT accounts for people and tools (observer, controller), in the same accounts file the
 * broker reads (`<dataDir>/mqtt/accounts.json`): the broker re-reads it when it changes, so an
 * account added here can connect at once, and a removed one cannot connect again.
 */
@Injectable()
export class MqttUsersService {
  private readonly store: AccountStore;

  constructor(@Inject(GATEWAY_SETTINGS) settings: GatewaySettings) {
    this.store = new AccountStore(settings.dataDir);
  }

  list(): MqttUserView[] {
    return this.store
      .list()
      .map((a) => ({
        name: a.username,
        role: a.role,
        ...(a.agentId ? { agentId: a.agentId } : {}),
        createdAt: a.createdAt,
        service: isService(a),
      }))
      .sort((a, b) => Number(b.service) - Number(a.service) || a.name.localeCompare(b.name));
  }

  /** Creates an account; without a password one is generated and returned (shown once). */
  async add(name: string, role: PublicRole, password?: string): Promise<{ user: MqttUserView; generatedPassword?: string }> {
    if (!USERNAME_PATTERN.test(name)) throw invalidInput(MQTT_USER_NAME_RULE);
    if (!(PUBLIC_ROLES as readonly string[]).includes(role))
      throw invalidInput(`role must be one of: ${PUBLIC_ROLES.join(', ')}`);
    if (isServiceName(name))
      throw invalidInput(`${name} is reserved for a service account: pick another name`);
    if (password !== undefined && password.length < 12)
      throw invalidInput('an MQTT password needs at least 12 characters');
    if (this.store.find(name)) throw new GatewayError('CONFLICT', `an MQTT account named ${name} already exists`);
    let secret: string;
    try {
      secret = await this.store.add(name, role, password === undefined ? {} : { password });
    } catch (err) {
      if (err instanceof AccountError) throw invalidInput(err.message);
      throw err;
    }
    const user = this.list().find((u) => u.name === name)!;
    return password === undefined ? { user, generatedPassword: secret } : { user };
  }

  remove(name: string): void {
    const account = this.store.find(name);
    if (!account) throw notFound('MQTT account', name);
    if (isService(account))
      throw new GatewayError('CONFLICT', `${name} is a service account: the services need it to connect`);
    this.store.remove(name);
  }
}
