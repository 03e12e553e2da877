import { syncRuns } from "@ringfence/db";
import type { Asset } from "@ringfence/engine/documents";
import { CloudParseError, detectAndParse } from "@ringfence/engine/parsers";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { applyDiscovery } from "../../discovery/sync/index.ts";
import { assetScope } from "../../discovery/types.ts";
import { AppError, type InvalidField } from "../../errors.ts";
import { getAccount } from "../accounts/get.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { recompileIfMembershipChanged } from "../publish/recompile.ts";

/** One uploaded file: its name (for error messages) and its text. */
export interface ImportFile {
  name: string;
  text: string;
}

/** What an import changed. */
export interface ImportResult {
  files: { name: string; format: string; assets: number }[];
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

function parseAll(
  files: ImportFile[],
  account: { provider: string; cloudAccountId: string },
): { parsed: ImportResult["files"]; assets: Asset[] } {
  const fields: InvalidField[] = [];
  const parsed: ImportResult["files"] = [];
  const assets: Asset[] = [];
  files.forEach((file, index) => {
    try {
      const { format, inventory } = detectAndParse(file.name, file.text, {
        account: account.cloudAccountId,
      });
      const foreign = inventory.assets.findIndex((asset) => asset.provider !== account.provider);
      if (foreign >= 0) {
        throw new CloudParseError(
          file.name,
          `$.assets[${foreign}].provider`,
          `is ${inventory.assets[foreign]?.provider}, but the account is ${account.provider}`,
        );
      }
      parsed.push({ name: file.name, format, assets: inventory.assets.length });
      assets.push(...inventory.assets);
    } catch (error) {
      if (!(error instanceof CloudParseError)) throw error;
      fields.push({ location: "body", path: `files[${index}]`, message: error.message });
    }
  });
  if (fields.length > 0) {
    throw new AppError(
      "invalid_request",
      `Nothing was imported: ${fields.map((f) => f.message).join("; ")}`,
      { fields },
    );
  }
  return { parsed, assets };
}

/**
 * Imports cloud CLI outputs (or canonical inventories) into an account. Every file is parsed
 * before anything is written, so one malformed file imports nothing at all; the error names the
 * file, the record and the field. The imported assets replace the account's assets in the scopes
 * they cover (the regions or kinds the files describe).
 */
export async function importInventory({
  ctx,
  input,
}: ServiceCall<
  WithEnforcement<OrgContext>,
  { accountId: string; files: ImportFile[] }
>): Promise<ImportResult> {
  const account = await getAccount({ ctx, input });
  const { parsed, assets } = parseAll(input.files, account);
  const scopes = [...new Set(assets.map(assetScope))];
  const applied = await applyDiscovery(
    ctx.db,
    { organizationId: ctx.organizationId, accountId: account.id },
    { assets, scopes },
  );
  await ctx.db.insert(syncRuns).values({
    organizationId: ctx.organizationId,
    accountId: account.id,
    trigger: "import",
    status: "succeeded",
    startedAt: new Date(),
    finishedAt: new Date(),
    added: applied.added,
    changed: applied.changed,
    removed: applied.removed,
    unchanged: applied.unchanged,
    diff: applied.diff,
  });
  // A changed inventory may change the members of an object a published rule uses; the
  // enforcers must then receive a new bundle.
  if (applied.added + applied.changed + applied.removed > 0) {
    await recompileIfMembershipChanged({ ctx, input: undefined });
  }
  return {
    files: parsed,
    added: applied.added,
    changed: applied.changed,
    removed: applied.removed,
    unchanged: applied.unchanged,
  };
}
