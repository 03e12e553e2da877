import { MfaSignIn } from "@/src/ui/components/mfa-sign-in.tsx";

export const metadata = { title: "Two-factor sign-in · Ringfence" };

export default function MfaSignInPage() {
  return <MfaSignIn />;
}
