import type { PasswordHash } from '../auth/password';
import type { Role } from './roles';

export interface User {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface UserWithHash extends User {
  passwordHash: PasswordHash;
}
