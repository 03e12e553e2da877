import { AuthForm } from "@/src/ui/components/auth-form.tsx";
import { SsoSignIn } from "@/src/ui/components/sso-sign-in.tsx";

export const metadata = { title: "Sign in · Ringfence" };

export default function SignInPage() {
  return (
    <>
      <AuthForm mode="sign-in" />
      <SsoSignIn />
    </>
  );
}
