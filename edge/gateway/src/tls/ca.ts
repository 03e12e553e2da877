// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

type CryptoKey = webcrypto.CryptoKey;
/** A public/private key pair from Node's WebCrypto. */
export type CryptoKeyPair = webcrypto.CryptoKeyPair;

const EC_KEY = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate and its private key, both PEM. */
export type PemPair = { certPem: string; keyPem: string };

/** An issuing authority loaded into memory, ready to sign. */
export type CertificateAuthority = {
  cert: x509.X509Certificate;
  signingKey: CryptoKey;
  certPem: string;
};

function pemOfKey(pkcs8: ArrayBuffer): string {
  const body = Buffer.from(pkcs8)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n");
  return `-----BEGIN PRIVATE KEY-----\n${body.trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

function derOfPem(pem: string, label: string): Buffer {
  const match = new RegExp(`-----BEGIN ${label}-----([^-]+)-----END ${label}-----`).exec(pem);
  if (!match?.[1]) throw new Error(`expected a PEM ${label}`);
  return Buffer.from(match[1].replace(/\s+/g, ""), "base64");
}

async function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

/** Creates a self-signed ECDSA P-256 authority, for an organisation CA or a test CA. */
export async function createCa(commonName: string, days = 365): Promise<PemPair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${commonName}`,
    keys,
    signingAlgorithm: SIGNING,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + days * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { certPem: cert.toString("pem"), keyPem: pemOfKey(pkcs8) };
}

/** Loads a PEM ECDSA P-256 authority; the error names which half is unusable. */
export async function loadCa(pair: PemPair): Promise<CertificateAuthority> {
  const cert = new x509.X509Certificate(pair.certPem);
  const der = derOfPem(pair.keyPem, "PRIVATE KEY");
  const signingKey = await webcrypto.subtle.importKey("pkcs8", der, EC_KEY, false, ["sign"]);
  return { cert, signingKey, certPem: pair.certPem };
}

/** Leaf parameters: the names it is valid for and the key pair it certifies. */
export type LeafRequest = { hosts: string[]; keys?: CryptoKeyPair; days?: number };

/** Issues a server certificate for `hosts` (DNS names or IP literals), signed by `ca`. */
export async function issueLeaf(ca: CertificateAuthority, request: LeafRequest): Promise<PemPair> {
  const keys = request.keys ?? (await newKeys());
  const names = request.hosts.map((host) => ({
    type: /^[0-9.]+$|:/.test(host) ? ("ip" as const) : ("dns" as const),
    value: host,
  }));
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${request.hosts[0] ?? "leaf"}`,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.signingKey,
    signingAlgorithm: SIGNING,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + (request.days ?? 30) * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { certPem: cert.toString("pem"), keyPem: pemOfKey(pkcs8) };
}

/** Generates a key pair once, so leaves minted per host only cost a signature. */
export function generateLeafKeys(): Promise<CryptoKeyPair> {
  return newKeys();
}
