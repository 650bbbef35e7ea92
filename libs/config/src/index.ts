export * from './keys';
export * from './load-config';
