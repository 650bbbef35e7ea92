export * from './mqtt-connection';
export * from './credentials';
