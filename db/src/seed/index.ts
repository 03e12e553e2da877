export { DEMO_ORGANIZATION, DEMO_OWNER_EMAIL, type DemoSeed, seedDemo } from "./demo.ts";
export { DEMO_SOURCES, demoInventory } from "./demo-inventory.ts";
