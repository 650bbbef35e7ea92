export * from './transitions';
export * from './command-rules';
export * from './printer-state-machine';
export * from './bed';
