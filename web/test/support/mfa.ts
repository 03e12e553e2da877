import { Secret } from "otpauth";
import { setMfaClock } from "../../src/server/services/mfa/runtime.ts";
import { totpCodeAt, totpStep } from "../../src/server/services/mfa/totp.ts";
import type { TestServer } from "./app.ts";
import { call, sessionFrom } from "./client.ts";
import type { TestUser } from "./world.ts";

export const PASSWORD = "correct horse battery";

/**
 * A clock the MFA verbs read, frozen at the real time of its creation and moved only by the
 * test, so a code never changes step between computing and sending it. Sessions start at the
 * database's real time, so moving the clock far ages every session for step-up too.
 */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export function injectClock(server: TestServer): TestClock {
  let frozen = Date.now();
  setMfaClock(server.database.db, () => frozen);
  return {
    now: () => frozen,
    advance: (ms) => {
      frozen += ms;
    },
  };
}

/** The person's authenticator: the enrolled secret, giving the code of any moment. */
export class Authenticator {
  constructor(private readonly secret: Uint8Array<ArrayBuffer>) {}

  static fromBase32(text: string): Authenticator {
    return new Authenticator(new Uint8Array(Secret.fromBase32(text).bytes));
  }

  codeAt(ms: number, stepOffset = 0): string {
    return totpCodeAt(this.secret, totpStep(ms) + stepOffset);
  }
}

/** Enrols TOTP for the user through the API and returns the authenticator and the codes. */
export async function enrolTotp(server: TestServer, user: TestUser, clock: TestClock) {
  const started = await call(server.app, "POST", "/api/v1/me/mfa/totp", {
    cookie: user.cookie,
    body: {},
  });
  if (started.status !== 201) throw new Error(`enrol failed: ${JSON.stringify(started.body)}`);
  const authenticator = Authenticator.fromBase32(started.json.secret as string);

  const confirmed = await call(server.app, "POST", "/api/v1/me/mfa/totp/confirm", {
    cookie: user.cookie,
    body: { code: authenticator.codeAt(clock.now()) },
  });
  if (confirmed.status !== 200)
    throw new Error(`confirm failed: ${JSON.stringify(confirmed.body)}`);
  return { authenticator, recoveryCodes: confirmed.json.recoveryCodes as string[], started };
}

/** Signs in with the password; with MFA the result carries the challenge cookie. */
export async function signInWithPassword(server: TestServer, user: TestUser) {
  const result = await call(server.app, "POST", "/api/v1/auth/sign-in", {
    body: { email: user.email, password: PASSWORD },
  });
  const challenge = /rf_mfa_challenge=([^;]+)/.exec(result.headers.get("set-cookie") ?? "")?.[1];
  return { result, challenge };
}

/** Sends the second step of a sign-in with its challenge cookie; returns the new session. */
export async function verifyChallenge(server: TestServer, challenge: string, body: unknown) {
  const result = await call(server.app, "POST", "/api/v1/auth/mfa/verify", {
    body,
    headers: { Cookie: `rf_mfa_challenge=${challenge}`, Origin: "http://localhost" },
  });
  const cookie = result.status === 200 ? sessionFrom(result.headers) : undefined;
  return { result, cookie };
}
