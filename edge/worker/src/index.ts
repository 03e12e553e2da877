import { createApp } from "./app.ts";

/** The worker's entry point, as wrangler deploys it. */
export default createApp();

export type { Env } from "./env.ts";
