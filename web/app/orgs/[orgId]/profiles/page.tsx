import { BUILTIN_SIGNATURES } from "@ringfence/engine/inspect";
import { ipsFamilies } from "@/src/ui/ips-families.ts";
import { ProfilesView } from "./profiles-view.tsx";

/** Rendered on the server, which hands the browser the built-in IPS families, not the engine. */
export default function ProfilesPage() {
  return <ProfilesView families={ipsFamilies(BUILTIN_SIGNATURES)} />;
}
