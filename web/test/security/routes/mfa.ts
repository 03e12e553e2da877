import type { RouteCase } from "../route-case.ts";

export const mfaCases: RouteCase[] = [
  { method: "GET", path: "/api/v1/me/mfa", access: "user" },
  { method: "POST", path: "/api/v1/me/mfa/totp", access: "user", body: () => ({}) },
  {
    method: "POST",
    path: "/api/v1/me/mfa/totp/confirm",
    access: "user",
    body: () => ({ code: "123456" }),
  },
  {
    method: "POST",
    path: "/api/v1/me/mfa/totp/disable",
    access: "user",
    body: () => ({ password: "correct horse battery", code: "123456" }),
  },
  { method: "POST", path: "/api/v1/me/mfa/recovery-codes", access: "user", body: () => ({}) },
  {
    method: "POST",
    path: "/api/v1/auth/mfa/verify",
    access: "anonymous",
    body: () => ({ code: "123456" }),
  },
  {
    method: "POST",
    path: "/api/v1/auth/step-up",
    access: "user",
    body: () => ({ password: "correct horse battery" }),
  },
  { method: "GET", path: "/api/v1/orgs/{orgId}/mfa-requirement", access: "viewer" },
  {
    method: "PUT",
    path: "/api/v1/orgs/{orgId}/mfa-requirement",
    access: "owner",
    body: () => ({ required: false }),
  },
];
