/** Injection tokens every service module can use. */
export const CONFIG = Symbol('printfleet:config');
export const LOGGER = Symbol('printfleet:logger');
export const MQTT = Symbol('printfleet:mqtt');
