/**
 * A small client of the control plane's REST API for the replay: a browser-like session
 * (cookie plus our own Origin, as the CSRF rules require of cookie-authenticated writes).
 */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

export class ControlPlaneApi {
  private cookie = "";

  constructor(readonly baseUrl: string) {}

  /** Signs in and keeps the session cookie for every later call. */
  async signIn(email: string, password: string): Promise<void> {
    const res = await this.raw("POST", "/api/v1/auth/sign-in", { email, password });
    const setCookie = res.headers.get("set-cookie") ?? "";
    const session = /rf_session=[^;]+/.exec(setCookie)?.[0];
    if (res.status !== 200 || !session) {
      throw new Error(`sign-in failed with ${res.status}: ${await res.text()}`);
    }
    this.cookie = session;
  }

  async call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const res = await this.raw(method, path, body);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // A non-JSON answer is returned as text, so the failing assertion prints it.
    }
    return { status: res.status, body: parsed };
  }

  /** Like `call`, but any status other than `expected` is an error naming the answer. */
  async expect<T>(expected: number, method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call(method, path, body);
    if (answer.status !== expected) {
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body as T;
  }

  private raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { origin: this.baseUrl };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
  }
}
