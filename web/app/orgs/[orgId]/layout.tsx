import type { ReactNode } from "react";
import { Shell } from "@/src/ui/components/shell.tsx";

export default function OrgLayout({ children }: { children: ReactNode }) {
  return <Shell>{children}</Shell>;
}
