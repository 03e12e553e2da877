import {
  caCertificates,
  cloudAccounts,
  type DataKeyPurpose,
  integrations,
  signingKeys,
  ssoConnections,
  totpFactors,
} from "@ringfence/db";
import type { PgColumn, PgTable } from "@ringfence/db/orm";

/**
 * A column that stores values sealed by the keyring, and how to rebuild each value's binding
 * from its row. Re-encryption after a data-key rotation, the KEK rotation and the startup check
 * walk this list, so a new sealed column must be added here (TOTP seeds and OIDC client secrets
 * included) or it would keep a retired data key alive.
 */
export interface SealedColumn {
  purpose: DataKeyPurpose;
  table: PgTable;
  /** The primary key, to update one row at a time. */
  id: PgColumn;
  /** The owning organisation; null for instance-wide secrets. */
  organizationId: PgColumn | null;
  /** The column whose value is the binding's `row`. */
  row: PgColumn;
  sealed: PgColumn;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  {
    purpose: "bundle-signing",
    table: signingKeys,
    id: signingKeys.id,
    organizationId: signingKeys.organizationId,
    row: signingKeys.keyId,
    sealed: signingKeys.sealedPrivateKey,
  },
  {
    purpose: "ca",
    table: caCertificates,
    id: caCertificates.id,
    organizationId: caCertificates.organizationId,
    row: caCertificates.id,
    sealed: caCertificates.sealedPrivateKey,
  },
  {
    purpose: "cloud-credentials",
    table: cloudAccounts,
    id: cloudAccounts.id,
    organizationId: cloudAccounts.organizationId,
    row: cloudAccounts.id,
    sealed: cloudAccounts.sealedSecret,
  },
  {
    purpose: "identity",
    table: totpFactors,
    id: totpFactors.id,
    organizationId: null,
    row: totpFactors.id,
    sealed: totpFactors.secretSealed,
  },
  {
    purpose: "identity",
    table: ssoConnections,
    id: ssoConnections.id,
    organizationId: ssoConnections.organizationId,
    row: ssoConnections.id,
    sealed: ssoConnections.clientSecretSealed,
  },
  {
    purpose: "integration-secrets",
    table: integrations,
    id: integrations.id,
    organizationId: integrations.organizationId,
    row: integrations.id,
    sealed: integrations.sealedSecret,
  },
];
