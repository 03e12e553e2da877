// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { Agent, type RequestInit as UndiciInit, fetch as undiciFetch } from "undici";
import type { TlsMaterial } from "./server.ts";

/** A certificate authority made for one test run, and a server certificate it issued. */
export interface TestPki {
  /** The CA certificate (PEM) that clients of the replay servers must trust. */
  caCert: string;
  /** The server certificate and key for 127.0.0.1 and localhost. */
  server: TlsMaterial;
}

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

/**
 * Generates a fresh CA and a loopback server certificate. Nothing is written to disk and nothing
 * is added to the process's trust store: a client trusts the CA only when handed `caCert`, so a
 * test cannot accidentally trust it for any other host.
 */
export async function createTestPki(): Promise<TestPki> {
  const now = Date.now();
  const notBefore = new Date(now - 60_000);
  const notAfter = new Date(now + 24 * 3600_000);

  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=Ringfence replay test CA",
    keys: caKeys as webcrypto.CryptoKeyPair,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });

  const serverKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const leaf = await x509.X509CertificateGenerator.create({
    subject: "CN=127.0.0.1",
    issuer: ca.subject,
    publicKey: serverKeys.publicKey as webcrypto.CryptoKey,
    signingKey: caKeys.privateKey as webcrypto.CryptoKey,
    notBefore,
    notAfter,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "dns", value: "localhost" },
      ]),
    ],
  });

  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", serverKeys.privateKey);
  return {
    caCert: ca.toString("pem"),
    server: { cert: leaf.toString("pem"), key: toPem("PRIVATE KEY", pkcs8) },
  };
}

function toPem(label: string, der: ArrayBuffer): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * A fetch that trusts only `caCert`, for clients of the HTTPS replay servers. It has the shape
 * of the connectors' OutboundFetch, so tests pass it where the control plane passes its guard.
 */
export function fetchTrusting(
  caCert: string,
): (input: string, init?: RequestInit) => Promise<Response> {
  const dispatcher = new Agent({ connect: { ca: caCert } });
  return (input, init) =>
    undiciFetch(input, { ...(init as UndiciInit), dispatcher }) as unknown as Promise<Response>;
}
