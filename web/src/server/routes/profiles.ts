import { profileRefSchema } from "@ringfence/engine/documents";
import {
  createProfile,
  deleteProfile,
  getProfile,
  listProfiles,
  updateProfile,
} from "../services/profiles/crud.ts";
import { itemRoutes } from "./objects.ts";

/**
 * Inspection profiles of the draft: `/api/v1/orgs/{orgId}/profiles[/{profileId}]`. The body is
 * checked in full by the inspection engine's schema when the draft is saved.
 */
export const profileRoutes = itemRoutes({
  segment: "profiles",
  param: "profileId",
  tag: "inspection profiles",
  noun: "inspection profile",
  body: profileRefSchema,
  verbs: {
    list: listProfiles,
    get: getProfile,
    create: createProfile,
    update: updateProfile,
    remove: deleteProfile,
  },
});
