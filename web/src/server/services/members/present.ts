import type { Membership, User } from "@ringfence/db";

export function presentMember(membership: Membership, user: Pick<User, "email" | "name">) {
  return {
    id: membership.id,
    userId: membership.userId,
    email: user.email,
    name: user.name,
    role: membership.role,
    createdAt: membership.createdAt.toISOString(),
  };
}

export type MemberDto = ReturnType<typeof presentMember>;
