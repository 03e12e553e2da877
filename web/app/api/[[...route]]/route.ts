import { controlPlaneApp } from "../../../src/server/next.ts";

// The control plane's Hono app answers every /api/* request; Next.js only hosts it.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  const app = await controlPlaneApp();
  return app.fetch(request);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const OPTIONS = handle;
