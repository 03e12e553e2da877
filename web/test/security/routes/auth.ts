import type { RouteCase } from "../route-case.ts";

export const authCases: RouteCase[] = [
  {
    method: "POST",
    path: "/api/v1/auth/sign-up",
    access: "anonymous",
    body: () => ({ email: "x@example.test", password: "long enough pw", name: "X" }),
  },
  {
    method: "POST",
    path: "/api/v1/auth/sign-in",
    access: "anonymous",
    body: (world) => ({ email: world.ownerA.email, password: "correct horse battery" }),
  },
  { method: "POST", path: "/api/v1/auth/sign-out", access: "user", body: () => ({}) },
  { method: "GET", path: "/api/v1/me", access: "user" },
];
