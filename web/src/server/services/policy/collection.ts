import type { Policy } from "@ringfence/engine/documents";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { editDraft, loadDraft } from "./draft.ts";

/** The draft's keyed lists that the API edits item by item. */
export type CollectionKey = "objects" | "services" | "profiles";
export type ItemOf<K extends CollectionKey> = Policy[K][number];

/** How one list is named in errors and in the audit log. */
export interface Collection<K extends CollectionKey> {
  key: K;
  /** For messages: "address object", "service object", "inspection profile". */
  noun: string;
  /** For the audit log: `object`, `service`, `profile`. */
  auditName: string;
}

/** One item and the draft revision it was read from or written to. */
export interface ItemResult<T> {
  item: T;
  revision: number;
}

function find<K extends CollectionKey>(policy: Policy, spec: Collection<K>, id: string) {
  const list = policy[spec.key] as ItemOf<K>[];
  return { list, index: list.findIndex((item) => item.id === id) };
}

function missing(spec: Collection<CollectionKey>, id: string): AppError {
  return new AppError("not_found", `There is no ${spec.noun} "${id}" in the draft.`);
}

/** A page of the draft's items, ordered by id; the cursor continues after the last id. */
export async function listItems<K extends CollectionKey>(
  spec: Collection<K>,
  { ctx, input }: ServiceCall<OrgContext, PageInput>,
): Promise<Page<ItemOf<K>>> {
  const after = decodeCursor(input.cursor);
  const { policy } = await loadDraft(ctx.db, ctx.organizationId);
  const items = (policy[spec.key] as ItemOf<K>[]).filter(
    (item) => after === undefined || item.id > after,
  );
  return toPage(items.slice(0, input.limit + 1), input.limit);
}

/** One item of the draft; 404 when it is not there. */
export async function getItem<K extends CollectionKey>(
  spec: Collection<K>,
  { ctx, input }: ServiceCall<OrgContext, { id: string }>,
): Promise<ItemResult<ItemOf<K>>> {
  const { policy, revision } = await loadDraft(ctx.db, ctx.organizationId);
  const { list, index } = find(policy, spec, input.id);
  const item = list[index];
  if (item === undefined) throw missing(spec, input.id);
  return { item, revision };
}

/** Adds an item to the draft; an id already used there is a conflict. */
export async function createItem<K extends CollectionKey>(
  spec: Collection<K>,
  { ctx, input }: ServiceCall<OrgContext, { item: ItemOf<K> }>,
): Promise<ItemResult<ItemOf<K>>> {
  const change = { action: `${spec.auditName}.create`, targetType: spec.auditName };
  const { revision } = await editDraft(ctx, { ...change, targetId: input.item.id }, (policy) => {
    if (find(policy, spec, input.item.id).index >= 0) {
      throw new AppError("conflict", `The draft already has a ${spec.noun} "${input.item.id}".`);
    }
    (policy[spec.key] as ItemOf<K>[]).push(input.item);
    return { policy, result: undefined };
  });
  return getItem(spec, { ctx, input: { id: input.item.id } }).then((r) => ({ ...r, revision }));
}

/** Replaces an item; its id cannot change (delete and create to rename). */
export async function replaceItem<K extends CollectionKey>(
  spec: Collection<K>,
  { ctx, input }: ServiceCall<OrgContext, { id: string; item: ItemOf<K> }>,
): Promise<ItemResult<ItemOf<K>>> {
  if (input.item.id !== input.id) {
    const fields = [{ location: "body", path: "id", message: `must be "${input.id}"` }];
    throw new AppError("invalid_request", "The id in the body differs from the path.", { fields });
  }
  const change = { action: `${spec.auditName}.update`, targetType: spec.auditName };
  const { revision } = await editDraft(ctx, { ...change, targetId: input.id }, (policy) => {
    const { list, index } = find(policy, spec, input.id);
    if (index < 0) throw missing(spec, input.id);
    list[index] = input.item;
    return { policy, result: undefined };
  });
  return getItem(spec, { ctx, input: { id: input.id } }).then((r) => ({ ...r, revision }));
}

/** Removes an item; one that rules or groups still use is a conflict naming where. */
export async function deleteItem<K extends CollectionKey>(
  spec: Collection<K>,
  { ctx, input }: ServiceCall<OrgContext, { id: string }>,
): Promise<{ revision: number }> {
  const change = { action: `${spec.auditName}.delete`, targetType: spec.auditName };
  try {
    const { revision } = await editDraft(ctx, { ...change, targetId: input.id }, (policy) => {
      const { list, index } = find(policy, spec, input.id);
      if (index < 0) throw missing(spec, input.id);
      list.splice(index, 1);
      return { policy, result: undefined };
    });
    return { revision };
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "invalid_request") throw error;
    const where = error.fields?.map((field) => field.path).join(", ") ?? "the draft";
    throw new AppError("conflict", `The ${spec.noun} "${input.id}" is still used at ${where}.`, {
      ...(error.fields ? { fields: error.fields } : {}),
      cause: error,
    });
  }
}
