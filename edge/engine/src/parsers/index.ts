/**
 * Parsers of cloud CLI outputs into the canonical inventory, shared by the CLI and the control
 * plane so both read the same files the same way. See docs/engine/parsers.md.
 */
export { type ParseContext, UNKNOWN } from "./asset.ts";
export {
  detectAndParse,
  INVENTORY_FORMATS,
  type InventoryFormat,
  type ParsedInventory,
} from "./detect.ts";
export { CloudParseError } from "./reader.ts";
