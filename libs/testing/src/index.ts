export * from './temp-dir';
export * from './free-port';
export * from './test-broker';
export * from './mqtt-probe';
