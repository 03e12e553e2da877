import { serviceObjectSchema } from "@ringfence/engine/documents";
import {
  createService,
  deleteService,
  getService,
  listServices,
  updateService,
} from "../services/service-objects/crud.ts";
import { itemRoutes } from "./objects.ts";

/** Service objects of the draft: `/api/v1/orgs/{orgId}/services[/{serviceId}]`. */
export const serviceObjectRoutes = itemRoutes({
  segment: "services",
  param: "serviceId",
  tag: "service objects",
  noun: "service object",
  body: serviceObjectSchema,
  verbs: {
    list: listServices,
    get: getService,
    create: createService,
    update: updateService,
    remove: deleteService,
  },
});
