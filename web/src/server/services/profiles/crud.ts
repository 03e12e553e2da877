import type { ProfileRef } from "@ringfence/engine/documents";
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

/**
 * Inspection profiles of the draft (WAF, IPS, DLP, malware). The draft validates each with the
 * inspection engine's schema and compiles it, so a customer regex that is not linear-time is
 * refused at save, naming the construct.
 */
export const PROFILES: Collection<"profiles"> = {
  key: "profiles",
  noun: "inspection profile",
  auditName: "profile",
};

export const listProfiles = (call: ServiceCall<OrgContext, PageInput>) => listItems(PROFILES, call);

export const getProfile = (call: ServiceCall<OrgContext, { id: string }>) =>
  getItem(PROFILES, call);

export const createProfile = (call: ServiceCall<OrgContext, { item: ProfileRef }>) =>
  createItem(PROFILES, call);

export const updateProfile = (call: ServiceCall<OrgContext, { id: string; item: ProfileRef }>) =>
  replaceItem(PROFILES, call);

export const deleteProfile = (call: ServiceCall<OrgContext, { id: string }>) =>
  deleteItem(PROFILES, call);
