/// <reference types="node" />
// This validator reads the schema from disk, so it runs under Node only (see *.node.test.ts).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * A validator for OCSF events read from the schema in ../shared/ocsf at test time: required
 * attributes (inherited through `extends`, plus `$include`d profiles), attribute types from
 * dictionary.json, enum values, `at_least_one` constraints, and the uid arithmetic that ties
 * `class_uid`, `category_uid` and `type_uid` together. Problems are returned as paths + messages.
 */

type Json = Record<string, unknown>;
interface AttributeSpec {
  requirement?: string;
  type?: string;
  is_array?: boolean;
  enum?: Record<string, unknown>;
}
interface Definition {
  name: string;
  uid?: number;
  category?: string;
  attributes: Map<string, AttributeSpec>;
  atLeastOne: string[] | undefined;
  /** Profiles named by `$include` that the schema folder does not hold. */
  missingProfiles: string[];
}

const ROOT = resolve(import.meta.dirname, "../../../../../shared/ocsf");

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, "utf8")) as Json;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Reads the OCSF schema folder once; classes and objects are resolved lazily and cached. */
export class OcsfSchema {
  readonly root = ROOT;
  readonly version: string;
  readonly #eventFiles = new Map<string, string>();
  readonly #dictionary: Json;
  readonly #types: Record<string, Json>;
  readonly #categories: Record<string, { uid: number }>;
  readonly #cache = new Map<string, Definition>();

  constructor() {
    if (!existsSync(ROOT)) throw new Error(`the OCSF schema is not at ${ROOT}`);
    this.version = String(readJson(join(ROOT, "version.json")).version);
    for (const file of filesUnder(join(ROOT, "events"))) {
      if (file.endsWith(".json")) this.#eventFiles.set(String(readJson(file).name), file);
    }
    this.#dictionary = readJson(join(ROOT, "dictionary.json"));
    this.#types = (this.#dictionary.types as Json).attributes as Record<string, Json>;
    const categories = readJson(join(ROOT, "categories.json")).attributes;
    this.#categories = categories as Record<string, { uid: number }>;
  }

  /** The event class with this `class_uid`, resolved with everything it inherits. */
  classByUid(classUid: number): Definition {
    for (const name of this.#eventFiles.keys()) {
      const definition = this.#event(name);
      const category = definition.category ? this.#categories[definition.category] : undefined;
      if (category && definition.uid !== undefined) {
        if (category.uid * 1000 + definition.uid === classUid) return definition;
      }
    }
    throw new Error(`no OCSF class has class_uid ${classUid}`);
  }

  #event(name: string): Definition {
    const file = this.#eventFiles.get(name);
    if (file === undefined) throw new Error(`no OCSF event class named ${name}`);
    return this.#resolve(`event:${name}`, readJson(file), (parent) => this.#event(parent));
  }

  object(name: string): Definition {
    const file = join(ROOT, "objects", `${name}.json`);
    if (!existsSync(file)) throw new Error(`no OCSF object named ${name}`);
    return this.#resolve(`object:${name}`, readJson(file), (parent) => this.object(parent));
  }

  /** Merges a definition over its parent: attributes field by field, enum values unioned. */
  #resolve(key: string, raw: Json, parentOf: (name: string) => Definition): Definition {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const parent = typeof raw.extends === "string" ? parentOf(raw.extends) : undefined;
    const attributes = new Map(parent?.attributes);
    const missingProfiles = [...(parent?.missingProfiles ?? [])];
    const own = { ...(raw.attributes as Record<string, AttributeSpec>) };
    const includes = (own as Json).$include;
    delete (own as Json).$include;
    for (const include of Array.isArray(includes) ? includes : []) {
      const path = join(ROOT, String(include));
      if (!existsSync(path)) missingProfiles.push(String(include));
      else Object.assign(own, { ...(readJson(path).attributes as Json), ...own });
    }
    for (const [name, spec] of Object.entries(own))
      attributes.set(name, merge(attributes.get(name), spec));

    const constraints = raw.constraints as { at_least_one?: string[] } | undefined;
    const definition: Definition = {
      name: String(raw.name),
      uid: typeof raw.uid === "number" ? raw.uid : parent?.uid,
      category: typeof raw.category === "string" ? raw.category : parent?.category,
      attributes,
      atLeastOne: constraints?.at_least_one ?? parent?.atLeastOne,
      missingProfiles,
    };
    this.#cache.set(key, definition);
    return definition;
  }

  /** The dictionary's entry for an attribute, which gives its type and array-ness. */
  dictionaryEntry(name: string): AttributeSpec | undefined {
    return (this.#dictionary.attributes as Record<string, AttributeSpec>)[name];
  }

  /** A scalar type's base type and limits (`port_t` → integer_t in 0..65535). */
  scalarType(name: string): Json | undefined {
    return this.#types[name];
  }

  categoryUid(name: string): number | undefined {
    return this.#categories[name]?.uid;
  }
}

function merge(base: AttributeSpec | undefined, over: AttributeSpec): AttributeSpec {
  const merged = { ...base, ...over };
  if (base?.enum && over.enum) merged.enum = { ...base.enum, ...over.enum };
  return merged;
}
