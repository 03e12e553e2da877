import type { Field } from "./fields.ts";
import { htmlEntityDecode } from "./transforms.ts";
import { clipEvidence, type Detection } from "./types.ts";

/**
 * Extracts text nodes and attribute values from XML without a DOM and without expanding
 * entities; a DOCTYPE that declares entities is reported because the origin's parser might
 * expand them (XXE).
 */
export function parseXmlValues(text: string, found: Detection[]): Field[] {
  const fields: Field[] = [];
  if (/<!ENTITY/i.test(text)) {
    found.push({
      id: "protocol-xml-entity",
      category: "protocol",
      location: "body",
      evidence: clipEvidence(/<!ENTITY[^>]*>?/i.exec(text)?.[0] ?? "<!ENTITY"),
      severity: "critical",
      action: "block",
    });
  }
  const tagPattern = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;
  for (const tag of text.matchAll(tagPattern)) {
    const attrPattern = /([^\s=>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
    for (const attr of (tag[2] ?? "").matchAll(attrPattern)) {
      const value = htmlEntityDecode(attr[2] ?? attr[3] ?? "");
      const name = `${tag[1]}@${attr[1]}`;
      fields.push({ kind: "body", location: `body:xml:${name}`, name, value });
    }
  }
  const withoutTags = text.replace(
    /<!\[CDATA\[([\s\S]*?)\]\]>/g,
    (_, c: string) => `\ue000${c}\ue000`,
  );
  for (const node of withoutTags.split(/<[^>]*>/)) {
    const value = htmlEntityDecode(node.replace(/\ue000/g, "")).trim();
    if (value !== "") fields.push({ kind: "body", location: "body:xml:text", name: "text", value });
  }
  return fields;
}
