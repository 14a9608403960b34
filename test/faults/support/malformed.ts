import fc from 'fast-check';

/**
 * Generators of malformed input: wrong types, huge strings, deep nesting, unknown fields and mutations
 * of a valid example. Every value is JSON (what survives the wire), and stays under the 64 KB message
 * limit so it reaches the validation layer instead of being cut off by the transport.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const MAX_WIRE_BYTES = 60_000;

/** JSON.parse(JSON.stringify(v)): the value as the server receives it. */
export const onTheWire = (value: unknown): Json => JSON.parse(JSON.stringify(value) ?? 'null') as Json;
export const wireBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? 'null');

/** A long string of one of a few alphabets (ASCII, unicode, control characters, a UUID-ish pattern). */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1_000, max: 50_000 }), fc.constantFrom('a', 'é', '\u0000', '😀', '0b7a4c2e-58f1-4a0e-8f3e-2f4d5e6a7b8c', '<script>', "' OR 1=1 --"))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

/** Arrays or objects nested 50..2,000 deep. */
export const deepNesting: fc.Arbitrary<Json> = fc.tuple(fc.integer({ min: 50, max: 2_000 }), fc.boolean(), fc.jsonValue({ maxDepth: 1 })).map(([depth, arrays, leaf]) => {
  let value = leaf as Json;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { nested: value };
  return value;
});

const prototypePollution: fc.Arbitrary<Json> = fc.constantFrom(
  JSON.parse('{"__proto__": {"polluted": true}}') as Json,
  JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as Json,
  JSON.parse('{"toString": "nope", "valueOf": 1, "hasOwnProperty": null}') as Json,
);

/** Any JSON value that is not what anyone expects: wrong types, edge numbers, huge, deep, hostile keys. */
export const junk: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 2, arbitrary: fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, -0, '', ' ', 'null', 'undefined', '[]', '{}', [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: prototypePollution },
  { weight: 1, arbitrary: fc.array(hugeString.map((s) => s.slice(0, 5_000)), { minLength: 1, maxLength: 8 }) },
);

/** Paths to every node of a JSON value (the root is []). */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => paths(v, [...prefix, i])));
  if (value && typeof value === 'object') return here.concat(...Object.entries(value).map(([k, v]) => paths(v, [...prefix, k])));
  return here;
}

function setAt(root: Json, path: (string | number)[], replace: (old: Json | undefined) => Json | undefined): Json {
  if (path.length === 0) return replace(root) ?? null;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let node = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  const next = replace(node[last]);
  if (next === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = next;
  return copy as Json;
}

/** One mutation of a valid example: a node replaced by junk, removed, or given unknown fields. */
export function mutationOf(example: Json): fc.Arbitrary<Json> {
  const all = paths(example);
  const objects = all.filter((path) => {
    let node: Json | undefined = example;
    for (const key of path) node = (node as Record<string | number, Json>)[key];
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
  const removable = all.filter((p) => p.length > 0);
  const choices: fc.Arbitrary<Json>[] = [fc.tuple(fc.constantFrom(...all), junk).map(([path, value]) => setAt(example, path, () => value))];
  if (removable.length) choices.push(fc.constantFrom(...removable).map((path) => setAt(example, path, () => undefined)));
  if (objects.length) {
    choices.push(
      fc
        .tuple(fc.constantFrom(...objects), fc.string({ minLength: 1, maxLength: 40 }), junk)
        .map(([path, key, value]) => setAt(example, path, (node) => ({ ...(node as Record<string, Json>), [`x-${key}`]: value }))),
    );
  }
  return fc.oneof(...choices);
}

/** Malformed variants of `example`: mutations of it, or junk in its place. Never valid for `isValid`. */
export function malformed(example: Json, isValid: (wire: Json) => boolean): fc.Arbitrary<Json> {
  return fc
    .oneof({ weight: 3, arbitrary: mutationOf(example) }, { weight: 1, arbitrary: junk })
    .filter((value) => wireBytes(value) < MAX_WIRE_BYTES && !isValid(onTheWire(value)));
}
