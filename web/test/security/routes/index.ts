import { deployCases } from "../../policy/security-cases.ts";
import { reportCases } from "../../report/security-cases.ts";
import type { RouteCase } from "../route-case.ts";
import { apiKeyCases } from "./api-keys.ts";
import { auditLogCases } from "./audit-log.ts";
import { authCases } from "./auth.ts";
import { discoveryCases } from "./discovery.ts";
import { enforcementCases } from "./enforcement.ts";
import { invitationCases } from "./invitations.ts";
import { keyCases } from "./keys.ts";
import { memberCases } from "./members.ts";
import { mfaCases } from "./mfa.ts";
import { orgCases } from "./orgs.ts";
import { sessionCases } from "./sessions.ts";
import { ssoCases } from "./sso.ts";

/** Every route's case. A new entity adds `routes/<entity>.ts` and spreads it here. */
export const routeCases: RouteCase[] = [
  ...authCases,
  ...sessionCases,
  ...ssoCases,
  ...mfaCases,
  ...orgCases,
  ...memberCases,
  ...invitationCases,
  ...apiKeyCases,
  ...keyCases,
  ...auditLogCases,
  ...discoveryCases,
  ...enforcementCases,
  ...deployCases,
  ...reportCases,
];
