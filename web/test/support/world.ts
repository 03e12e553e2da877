import { memberships, type Role } from "@ringfence/db";
import type { TestApp, TestServer } from "./app.ts";
import { call, sessionFrom } from "./client.ts";

/** A user signed up through the API, with their session token. */
export interface TestUser {
  id: string;
  email: string;
  cookie: string;
}

let counter = 0;

/** Signs up a fresh user through the API. */
export async function signUpUser(app: TestApp, label: string): Promise<TestUser> {
  counter += 1;
  const email = `${label}-${counter}-${Date.now()}@example.test`;
  const result = await call(app, "POST", "/api/v1/auth/sign-up", {
    body: { email, password: "correct horse battery", name: label },
  });
  if (result.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(result.body)}`);
  const user = result.json.user as { id: string };
  return { id: user.id, email, cookie: sessionFrom(result.headers) };
}

/** Creates an organisation through the API as `owner` and returns its id. */
export async function createOrg(app: TestApp, owner: TestUser, slug: string): Promise<string> {
  const result = await call(app, "POST", "/api/v1/orgs", {
    cookie: owner.cookie,
    body: { name: slug.toUpperCase(), slug },
  });
  if (result.status !== 201) throw new Error(`org create failed: ${JSON.stringify(result.body)}`);
  return result.json.id as string;
}

/** Gives `user` a role in the organisation directly in the database (test setup only). */
export async function addMember(
  server: TestServer,
  organizationId: string,
  user: TestUser,
  role: Role,
): Promise<string> {
  const [row] = await server.database.db
    .insert(memberships)
    .values({ organizationId, userId: user.id, role })
    .returning({ id: memberships.id });
  if (!row) throw new Error("membership insert returned nothing");
  return row.id;
}

/** Objects of one organisation that routes address by id. */
export interface OrgObjects {
  orgId: string;
  memberId: string;
  invitationId: string;
  keyId: string;
}

/**
 * Two organisations, A and B, each with an owner and objects of every kind. A also has a viewer,
 * a live write key and a revoked key. Security tests act as A's people against both.
 */
export interface World {
  ownerA: TestUser;
  viewerA: TestUser;
  ownerB: TestUser;
  a: OrgObjects;
  b: OrgObjects;
  writeKeyA: string;
  revokedKeyA: string;
}

async function populate(server: TestServer, owner: TestUser, slug: string, member: TestUser) {
  const { app } = server;
  const orgId = await createOrg(app, owner, slug);
  const memberId = await addMember(server, orgId, member, "viewer");
  const invitation = await call(app, "POST", `/api/v1/orgs/${orgId}/invitations`, {
    cookie: owner.cookie,
    body: { email: `invitee-${slug}@example.test`, role: "editor" },
  });
  const key = await call(app, "POST", `/api/v1/orgs/${orgId}/api-keys`, {
    cookie: owner.cookie,
    body: { name: `${slug} key`, scope: "write" },
  });
  const objects: OrgObjects = {
    orgId,
    memberId,
    invitationId: (invitation.json.invitation as { id: string }).id,
    keyId: (key.json.apiKey as { id: string }).id,
  };
  return { objects, secret: key.json.secret as string };
}

export async function buildWorld(server: TestServer): Promise<World> {
  const { app } = server;
  const ownerA = await signUpUser(app, "owner-a");
  const viewerA = await signUpUser(app, "viewer-a");
  const ownerB = await signUpUser(app, "owner-b");
  const memberB = await signUpUser(app, "member-b");

  const a = await populate(server, ownerA, `org-a-${counter}`, viewerA);
  const b = await populate(server, ownerB, `org-b-${counter}`, memberB);

  const revoked = await call(app, "POST", `/api/v1/orgs/${a.objects.orgId}/api-keys`, {
    cookie: ownerA.cookie,
    body: { name: "revoked", scope: "write" },
  });
  const revokedId = (revoked.json.apiKey as { id: string }).id;
  await call(app, "DELETE", `/api/v1/orgs/${a.objects.orgId}/api-keys/${revokedId}`, {
    cookie: ownerA.cookie,
  });

  return {
    ownerA,
    viewerA,
    ownerB,
    a: a.objects,
    b: b.objects,
    writeKeyA: a.secret,
    revokedKeyA: revoked.json.secret as string,
  };
}
