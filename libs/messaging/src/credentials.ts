import { setTimeout as delay } from 'node:timers/promises';
import { AccountStore } from '@printfleet/mqtt-accounts';

export interface MqttCredentialSource {
  dataDir: string;
  mqtt: { username?: string; password?: string };
}

/**
 * Credentials of a service: the configured ones (an external broker), else the service
 * account the embedded broker generated in the data directory. Waits a little for that
 * secret, because under docker compose the broker and the services start together.
 */
export async function resolveMqttCredentials(
  config: MqttCredentialSource,
  serviceUsername: string,
  waitMs = 30_000,
): Promise<{ username: string; password: string }> {
  if (config.mqtt.username) {
    if (!config.mqtt.password) throw new Error('PRINTFLEET_MQTT_USERNAME is set but PRINTFLEET_MQTT_PASSWORD is not');
    return { username: config.mqtt.username, password: config.mqtt.password };
  }
  const store = new AccountStore(config.dataDir);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const password = store.readSecret(serviceUsername);
    if (password) return { username: serviceUsername, password };
    if (Date.now() > deadline)
      throw new Error(
        `no MQTT credentials for ${serviceUsername}: start the embedded broker once with the same PRINTFLEET_DATA_DIR, or set PRINTFLEET_MQTT_USERNAME and PRINTFLEET_MQTT_PASSWORD`,
      );
    await delay(250);
  }
}
