import { AuthForm } from "@/src/ui/components/auth-form.tsx";

export const metadata = { title: "Sign up · Ringfence" };

export default function SignUpPage() {
  return <AuthForm mode="sign-up" />;
}
