export { DEMO_ORGANIZATION, DEMO_OWNER_EMAIL, type DemoSeed, seedDemo } from "./demo.ts";
