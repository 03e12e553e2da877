import Link from "next/link";
import type { ReactNode } from "react";

/** The frame of a page about the signed-in person rather than an organisation. */
export function AccountPage({
  title,
  wide = false,
  children,
}: {
  title: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <main className={`mx-auto mt-16 px-4 ${wide ? "max-w-4xl" : "max-w-lg"}`}>
      <p className="mb-6 text-2xl font-semibold tracking-tight">Ringfence</p>
      <h1 className="mb-4 text-lg font-medium">{title}</h1>
      {children}
      <p className="mt-6 text-sm">
        <Link className="text-sky-700 underline dark:text-sky-400" href="/">
          Back to the console
        </Link>
      </p>
    </main>
  );
}
