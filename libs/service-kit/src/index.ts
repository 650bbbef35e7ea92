export * from './tokens';
export * from './nest-logger';
export * from './heartbeat';
export * from './run-service';
