export * from './broker';
export * from './acl';
export * from './printer-claims';
