import type { AddressObject } from "@ringfence/engine/documents";
import type { OrgContext, ServiceCall } from "../../context.ts";
import type { PageInput } from "../../http/pagination.ts";
import {
  type Collection,
  createItem,
  deleteItem,
  getItem,
  listItems,
  replaceItem,
} from "../policy/collection.ts";
import { parseOrRefuse } from "./preview.ts";

/** Address objects of the draft: static, dynamic (selector), FQDN and group. */
export const ADDRESS_OBJECTS: Collection<"objects"> = {
  key: "objects",
  noun: "address object",
  auditName: "object",
};

/** Selector errors are reported on `selector` with their position before anything else. */
function checkSelector(object: AddressObject): void {
  if (object.kind === "dynamic") parseOrRefuse(object.selector);
}

export const listObjects = (call: ServiceCall<OrgContext, PageInput>) =>
  listItems(ADDRESS_OBJECTS, call);

export const getObject = (call: ServiceCall<OrgContext, { id: string }>) =>
  getItem(ADDRESS_OBJECTS, call);

export function createObject(call: ServiceCall<OrgContext, { item: AddressObject }>) {
  checkSelector(call.input.item);
  return createItem(ADDRESS_OBJECTS, call);
}

export function updateObject(call: ServiceCall<OrgContext, { id: string; item: AddressObject }>) {
  checkSelector(call.input.item);
  return replaceItem(ADDRESS_OBJECTS, call);
}

export const deleteObject = (call: ServiceCall<OrgContext, { id: string }>) =>
  deleteItem(ADDRESS_OBJECTS, call);
