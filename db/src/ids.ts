/**
 * Identifiers for every row Ringfence stores: a short type prefix, an underscore and 26 Crockford
 * base32 characters (48 bits of millisecond time, then 80 random bits). The prefix lets a reader
 * tell an organisation id from a key id in a log line; the time part makes ids sort by creation,
 * which is what cursor pagination orders by.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Prefixes in use. Later tables add theirs here so that no two entities share one. */
export const ID_PREFIXES = {
  organization: "org",
  user: "usr",
  membership: "mem",
  session: "ses",
  invitation: "inv",
  apiKey: "key",
  auditEvent: "aud",
  idempotencyRecord: "idm",
  signingKey: "sgk",
  caCertificate: "cac",
  bundle: "bdl",
  enforcerRegistration: "erg",
  enforcer: "enf",
  cloudAccount: "cla",
  inventoryAsset: "ast",
  syncRun: "syn",
  integration: "int",
  totpFactor: "tfa",
  recoveryCode: "rcv",
  mfaChallenge: "mfc",
  ssoConnection: "sso",
  ssoDomain: "ssd",
  ssoLogin: "ssl",
  dataKey: "dtk",
} as const;

export type IdPrefix = (typeof ID_PREFIXES)[keyof typeof ID_PREFIXES];

/** A new id such as `org_01j9z8…`, sortable by creation time. */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${encodeRandom()}`;
}

/** Whether `value` has the shape of an id with the given prefix (it says nothing of existence). */
export function isId(prefix: IdPrefix, value: string): boolean {
  return new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`).test(value);
}

function encodeTime(ms: number): string {
  let out = "";
  let rest = Math.floor(ms);
  for (let i = 0; i < 10; i++) {
    out = ALPHABET.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(): string {
  // 16 characters of 5 bits each: one random byte per character, masked, keeps this simple and
  // unbiased because 256 is a multiple of 32.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let out = "";
  for (const byte of bytes) out += ALPHABET.charAt(byte & 31);
  return out;
}
