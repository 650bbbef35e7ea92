export * from './roles';
export * from './password-hash';
export * from './account-store';
