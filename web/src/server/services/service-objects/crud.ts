import type { ServiceObject } from "@ringfence/engine/documents";
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

/** Service objects of the draft: S3 buckets, Azure storage accounts, GCS buckets, FQDNs. */
export const SERVICE_OBJECTS: Collection<"services"> = {
  key: "services",
  noun: "service object",
  auditName: "service",
};

export const listServices = (call: ServiceCall<OrgContext, PageInput>) =>
  listItems(SERVICE_OBJECTS, call);

export const getService = (call: ServiceCall<OrgContext, { id: string }>) =>
  getItem(SERVICE_OBJECTS, call);

export const createService = (call: ServiceCall<OrgContext, { item: ServiceObject }>) =>
  createItem(SERVICE_OBJECTS, call);

export const updateService = (call: ServiceCall<OrgContext, { id: string; item: ServiceObject }>) =>
  replaceItem(SERVICE_OBJECTS, call);

export const deleteService = (call: ServiceCall<OrgContext, { id: string }>) =>
  deleteItem(SERVICE_OBJECTS, call);
