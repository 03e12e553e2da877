import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import {
  type CaCertificateRow,
  caCertificates,
  type Database,
  ID_PREFIXES,
  newId,
} from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { toBase64 } from "@ringfence/engine/bundle";
import type { Keyring, SealBinding } from "./keyring.ts";

const EC_KEY = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Five years: long enough that customers do not re-distribute trust often. */
const CA_LIFETIME_DAYS = 5 * 365;

/** A CA in the form the gateway loads: certificate and PKCS#8 private key, both PEM. */
export interface CaPemPair {
  certPem: string;
  keyPem: string;
}

function sealBinding(organizationId: string, rowId: string): SealBinding {
  return { purpose: "ca", organizationId, row: rowId };
}

/**
 * The organisation's proxy-mode CA row, created on first use: a self-signed ECDSA P-256
 * certificate that may sign leaf certificates only (path length 0), its key sealed at rest.
 */
export async function liveCaCertificate(
  tx: Database,
  kek: Keyring,
  organizationId: string,
): Promise<CaCertificateRow> {
  const existing = await selectLive(tx, organizationId);
  if (existing !== undefined) {
    return existing;
  }
  await insertCa(tx, kek, organizationId);
  const created = await selectLive(tx, organizationId);
  if (created === undefined) {
    throw new Error(`no live CA for ${organizationId} after creating one`);
  }
  return created;
}

/** Opens the CA's private key as PEM, for delivery to the organisation's gateways. */
export async function openCa(
  kek: Keyring,
  row: CaCertificateRow,
  db?: Database,
): Promise<CaPemPair> {
  const binding = sealBinding(row.organizationId, row.id);
  const pkcs8 = await kek.open(row.sealedPrivateKey, binding, db);
  return { certPem: row.certificatePem, keyPem: toPem(pkcs8) };
}

async function insertCa(tx: Database, kek: Keyring, organizationId: string) {
  x509.cryptoProvider.set(crypto);
  const keys = (await crypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"])) as CryptoKeyPair;
  const notAfter = new Date(Date.now() + CA_LIFETIME_DAYS * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=Ringfence proxy CA ${organizationId}, O=Ringfence`,
    keys,
    signingAlgorithm: SIGNING,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });

  // The row id is chosen here so the sealed key can be bound to it as associated data.
  const id = newId(ID_PREFIXES.caCertificate);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  await tx
    .insert(caCertificates)
    .values({
      id,
      organizationId,
      certificatePem: certificate.toString("pem"),
      sealedPrivateKey: await kek.seal(pkcs8, sealBinding(organizationId, id), tx),
      notAfter,
    })
    .onConflictDoNothing();
}

async function selectLive(tx: Database, organizationId: string) {
  const [row] = await tx
    .select()
    .from(caCertificates)
    .where(
      and(eq(caCertificates.organizationId, organizationId), isNull(caCertificates.retiredAt)),
    );
  return row;
}

function toPem(pkcs8: Uint8Array): string {
  const body = toBase64(pkcs8)
    .replace(/(.{64})/g, "$1\n")
    .trimEnd();
  return `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
}
