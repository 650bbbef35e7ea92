export * from './keys';
export * from './config-error';
export * from './config-reader';
export * from './load-config';
export * from './describe-config';
