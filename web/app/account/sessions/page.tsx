import { AccountPage } from "@/src/ui/components/account-page.tsx";
import { SessionList } from "@/src/ui/components/sessions.tsx";

export const metadata = { title: "Sessions · Ringfence" };

export default function SessionsPage() {
  return (
    <AccountPage title="Your sessions" wide>
      <SessionList />
    </AccountPage>
  );
}
