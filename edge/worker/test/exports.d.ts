declare global {
  namespace Cloudflare {
    /** The worker's main module, so `exports.default` is typed in tests. */
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts");
    }
  }
}

export {};
