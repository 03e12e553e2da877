declare global {
  namespace Cloudflare {
    /** The worker's main module, so `exports.default` is typed in tests. */
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts");
    }
  }
}

export {};

declare global {
  interface ImportMeta {
    /** Vite's build-time file import, used to bring the shared JSON corpus into workerd. */
    glob<T>(pattern: string, options: { eager: true; import: "default" }): Record<string, T>;
  }
}
