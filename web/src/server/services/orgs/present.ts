import type { Organization, Role } from "@ringfence/db";

export function presentOrganization(org: Organization, role: Role) {
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    role,
    createdAt: org.createdAt.toISOString(),
    updatedAt: org.updatedAt.toISOString(),
  };
}

export type OrganizationDto = ReturnType<typeof presentOrganization>;
