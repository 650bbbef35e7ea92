import { InitialSchema1767225600000 } from './1767225600000-initial-schema';

/** Every migration, oldest first. Add new ones at the end; never edit a released one. */
export const MIGRATIONS = [InitialSchema1767225600000];
