import type { ReactNode } from "react";
import { Providers } from "@/src/ui/providers.tsx";
import { THEME_SCRIPT } from "@/src/ui/theme-script.ts";
import "./globals.css";

export const metadata = { title: "Ringfence", description: "Network security for cloud PaaS" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets data-theme before React hydrates, which React would otherwise flag.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of ours, no input. */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
