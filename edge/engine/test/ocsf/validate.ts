import type { OcsfSchema } from "./schema.ts";

/** One way an event breaks the schema, with the JSON path of the offending value. */
export interface OcsfIssue {
  path: string;
  message: string;
}

type Definition = ReturnType<OcsfSchema["object"]>;

/** Every issue of an event against its class; an empty list means it conforms. */
export function validateOcsf(schema: OcsfSchema, event: Record<string, unknown>): OcsfIssue[] {
  const issues: OcsfIssue[] = [];
  const classUid = event.class_uid;
  if (typeof classUid !== "number") return [{ path: "$.class_uid", message: "missing" }];
  const definition = schema.classByUid(classUid);
  checkUids(schema, definition, event, issues);
  checkObject(schema, definition, event, "$", issues);
  return issues;
}

/** `category_uid` and `type_uid` follow from the class; the dictionary enums only hold 0 there. */
function checkUids(
  schema: OcsfSchema,
  definition: Definition,
  event: Record<string, unknown>,
  issues: OcsfIssue[],
) {
  const category = definition.category ? schema.categoryUid(definition.category) : undefined;
  if (event.category_uid !== category) {
    issues.push({
      path: "$.category_uid",
      message: `expected ${category}, got ${String(event.category_uid)}`,
    });
  }
  const typeUid = Number(event.class_uid) * 100 + Number(event.activity_id);
  if (event.type_uid !== typeUid) {
    issues.push({
      path: "$.type_uid",
      message: `expected ${typeUid}, got ${String(event.type_uid)}`,
    });
  }
}

const DERIVED = new Set(["class_uid", "category_uid", "type_uid"]);

function checkObject(
  schema: OcsfSchema,
  definition: Definition,
  value: Record<string, unknown>,
  path: string,
  issues: OcsfIssue[],
) {
  for (const [name, spec] of definition.attributes) {
    if (spec.requirement === "required" && value[name] === undefined) {
      issues.push({ path: `${path}.${name}`, message: `required by ${definition.name}` });
    }
  }
  const present = definition.atLeastOne?.filter((name) => value[name] !== undefined) ?? [];
  if (definition.atLeastOne && present.length === 0) {
    issues.push({ path, message: `needs one of ${definition.atLeastOne.join(", ")}` });
  }

  for (const [name, attribute] of Object.entries(value)) {
    const spec = definition.attributes.get(name);
    // Attributes of profiles the schema folder lacks are still checked against the dictionary.
    const known =
      spec ?? (definition.missingProfiles.length > 0 ? schema.dictionaryEntry(name) : undefined);
    if (known === undefined) {
      issues.push({ path: `${path}.${name}`, message: `not an attribute of ${definition.name}` });
      continue;
    }
    const entry = schema.dictionaryEntry(name);
    const type = known.type ?? entry?.type;
    const isArray = known.is_array ?? entry?.is_array ?? false;
    const enumValues = DERIVED.has(name) ? undefined : (known.enum ?? entry?.enum);
    const at = `${path}.${name}`;
    if (isArray !== Array.isArray(attribute)) {
      issues.push({ path: at, message: isArray ? "expected an array" : "expected a single value" });
      continue;
    }
    for (const [i, item] of (isArray ? (attribute as unknown[]) : [attribute]).entries()) {
      const itemPath = isArray ? `${at}[${i}]` : at;
      checkValue(schema, type, item, itemPath, issues);
      if (enumValues && !(String(item) in enumValues)) {
        issues.push({ path: itemPath, message: `${String(item)} is not in the enum` });
      }
    }
  }
}

function checkValue(
  schema: OcsfSchema,
  type: string | undefined,
  value: unknown,
  path: string,
  issues: OcsfIssue[],
) {
  if (type === undefined) {
    issues.push({ path, message: "the schema gives no type" });
    return;
  }
  if (!type.endsWith("_t")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      issues.push({ path, message: `expected a ${type} object` });
    } else if (type !== "object") {
      // The generic `object` type (what `unmapped` holds) has no attributes of its own to check.
      checkObject(schema, schema.object(type), value as Record<string, unknown>, path, issues);
    }
    return;
  }
  const problem = scalarProblem(schema, type, value);
  if (problem) issues.push({ path, message: problem });
}

/** Checks a scalar against its type, following `port_t` → `integer_t` and the like. */
function scalarProblem(schema: OcsfSchema, type: string, value: unknown): string | undefined {
  const spec = schema.scalarType(type);
  if (spec === undefined) return `unknown type ${type}`;
  if (typeof spec.type === "string") {
    const base = scalarProblem(schema, spec.type, value);
    if (base) return `${type}: ${base}`;
  }
  switch (type) {
    case "string_t":
      return typeof value === "string" ? undefined : "expected a string";
    case "integer_t":
    case "long_t":
      return Number.isInteger(value) ? undefined : "expected an integer";
    case "float_t":
      return typeof value === "number" ? undefined : "expected a number";
    case "boolean_t":
      return typeof value === "boolean" ? undefined : "expected a boolean";
    case "json_t":
      return undefined;
  }
  if (typeof spec.regex === "string" && !new RegExp(spec.regex).test(String(value))) {
    return `${type}: does not match its pattern`;
  }
  const range = spec.range as [number, number] | undefined;
  if (range && (Number(value) < range[0] || Number(value) > range[1]))
    return `${type}: out of range`;
  const maxLen = spec.max_len as number | undefined;
  if (maxLen !== undefined && String(value).length > maxLen) return `${type}: too long`;
  return undefined;
}
