import { hashPassword, users } from "@ringfence/db";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { isUniqueViolation } from "../../db-errors.ts";
import { AppError } from "../../errors.ts";
import { createSession } from "./create-session.ts";
import { normalizeEmail, presentUser, type UserDto } from "./present.ts";

export interface SignUpInput {
  email: string;
  password: string;
  name: string;
}

/** Creates an account and signs it in. */
export async function signUp({
  ctx,
  input,
}: ServiceCall<RequestContext, SignUpInput>): Promise<{ user: UserDto; token: string }> {
  const passwordHash = await hashPassword(input.password);
  const email = normalizeEmail(input.email);

  try {
    return await ctx.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email, name: input.name, passwordHash })
        .returning();
      if (!user) throw new Error("insert into users returned no row");
      const { token } = await createSession({
        ctx: { ...ctx, db: tx },
        input: { userId: user.id },
      });
      return { user: presentUser(user), token };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError("conflict", "An account with this email already exists.", {
      fields: [{ location: "body", path: "email", message: "Already registered" }],
      cause: error,
    });
  }
}
