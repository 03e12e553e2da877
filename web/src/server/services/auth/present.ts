import type { User } from "@ringfence/db";

/** A user as the API shows it: never the password hash. */
export function presentUser(user: Pick<User, "id" | "email" | "name" | "createdAt">) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    createdAt: user.createdAt.toISOString(),
  };
}

export type UserDto = ReturnType<typeof presentUser>;

/** Emails compare case-insensitively; they are stored in this form. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
