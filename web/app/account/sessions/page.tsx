import Link from "next/link";
import { SessionList } from "@/src/ui/components/sessions.tsx";

export const metadata = { title: "Sessions · Ringfence" };

export default function SessionsPage() {
  return (
    <main className="mx-auto mt-16 max-w-4xl px-4">
      <p className="mb-6 text-2xl font-semibold tracking-tight">Ringfence</p>
      <h1 className="mb-4 text-lg font-medium">Your sessions</h1>
      <SessionList />
      <p className="mt-6 text-sm">
        <Link className="text-sky-700 underline dark:text-sky-400" href="/">
          Back to the console
        </Link>
      </p>
    </main>
  );
}
