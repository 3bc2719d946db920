// The order of organisation roles: OWNER above ADMIN above MEMBER.
import type { Role } from '../generated/prisma/enums.js';

const RANK: Record<Role, number> = { MEMBER: 0, ADMIN: 1, OWNER: 2 };

export function hasAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}
