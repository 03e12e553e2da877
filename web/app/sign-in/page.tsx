import { AuthForm } from "@/src/ui/components/auth-form.tsx";

export const metadata = { title: "Sign in · Ringfence" };

export default function SignInPage() {
  return <AuthForm mode="sign-in" />;
}
