import { randomBytes } from "node:crypto";
import type { AwsAccount } from "./world.ts";

/** Temporary credentials issued by the replay STS, and the role session they stand for. */
export interface ReplaySession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  account: AwsAccount;
  assumedRoleArn: string;
}

/** The sessions one replay server has issued, looked up by access key. */
export class SessionStore {
  readonly #byKey = new Map<string, ReplaySession>();

  issue(account: AwsAccount, sessionName: string): ReplaySession {
    const session: ReplaySession = {
      accessKeyId: `ASIA${randomBytes(8).toString("hex").toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString("base64"),
      sessionToken: randomBytes(48).toString("base64"),
      account,
      assumedRoleArn: `arn:aws:sts::${account.accountId}:assumed-role/${account.roleName}/${sessionName}`,
    };
    this.#byKey.set(session.accessKeyId, session);
    return session;
  }

  find(accessKeyId: string, sessionToken: string | undefined): ReplaySession | undefined {
    const session = this.#byKey.get(accessKeyId);
    return session && session.sessionToken === sessionToken ? session : undefined;
  }
}
