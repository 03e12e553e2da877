import { AccountPage } from "@/src/ui/components/account-page.tsx";
import { SecuritySettings } from "@/src/ui/components/mfa.tsx";

export const metadata = { title: "Security · Ringfence" };

export default function SecurityPage() {
  return (
    <AccountPage title="Account security">
      <SecuritySettings />
    </AccountPage>
  );
}
