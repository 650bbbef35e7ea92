export * from './broker';
export * from './acl';
export * from './topic-filter';
export * from './printer-claims';
