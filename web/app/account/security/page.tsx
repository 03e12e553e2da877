import Link from "next/link";
import { SecuritySettings } from "@/src/ui/components/mfa.tsx";

export const metadata = { title: "Security · Ringfence" };

export default function SecurityPage() {
  return (
    <main className="mx-auto mt-16 max-w-lg px-4">
      <p className="mb-6 text-2xl font-semibold tracking-tight">Ringfence</p>
      <h1 className="mb-4 text-lg font-medium">Account security</h1>
      <SecuritySettings />
      <p className="mt-6 text-sm">
        <Link className="text-sky-700 underline dark:text-sky-400" href="/">
          Back to the console
        </Link>
      </p>
    </main>
  );
}
