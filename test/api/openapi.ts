import { PATH_METADATA, METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { RequestMethod, Type } from '@nestjs/common';
import fc from 'fast-check';
import { z } from 'zod';

/** A JSON schema as the OpenAPI document has it (OpenAPI 3.0 dialect). */
export interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
}

export interface Operation {
  method: string;
  path: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

export interface OpenApi {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
  components: { schemas: Record<string, Schema> };
}

export function operations(doc: OpenApi): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })));
}

/** The routes Nest serves, from the controllers' own metadata, as OpenAPI writes them: `GET /api/procedures/{id}/versions`. */
export function routeTable(controllers: Type[], prefix: string): string[] {
  const routes: string[] = [];
  for (const c of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, c) ?? '');
    const proto = c.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler);
      const method = Reflect.getMetadata(METHOD_METADATA, handler);
      if (path === undefined || method === undefined) continue;
      const full = ['', prefix, base, String(path)].map((s) => s.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
      routes.push(`${RequestMethod[method as number]} /${full.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

/**
 * The query parameters each route's `@Query({ schema })` declares (the keys of its zod object),
 * by route as routeTable names it: what the OpenAPI document must list as `in: query`.
 */
export function queryTable(controllers: Type[], prefix: string): Array<{ route: string; keys: string[] }> {
  const out: Array<{ route: string; keys: string[] }> = [];
  for (const c of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, c) ?? '');
    const proto = c.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler);
      const method = Reflect.getMetadata(METHOD_METADATA, handler);
      if (path === undefined || method === undefined) continue;
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, c, name) ?? {}) as Record<string, { schema?: unknown }>;
      for (const [key, arg] of Object.entries(args)) {
        if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY || !(arg.schema instanceof z.ZodObject)) continue;
        const full = ['', prefix, base, String(path)].map((s) => s.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
        out.push({ route: `${RequestMethod[method as number]} /${full.replace(/:(\w+)/g, '{$1}')}`, keys: Object.keys(arg.schema.shape).sort() });
      }
    }
  }
  return out;
}

const resolve = (doc: OpenApi, s: Schema): Schema => (s.$ref ? resolve(doc, doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]) : s);

/**
 * Arbitraries by what they are built from. fast-check spends long building a string arbitrary
 * (stringMatching builds several), and the same schemas recur across operations (a path id, a
 * body in `invalid` four times): each is built once. An arbitrary is immutable, so sharing it
 * changes nothing of what it generates.
 */
const built = new WeakMap<OpenApi, Map<string, fc.Arbitrary<unknown>>>();
function once<T>(doc: OpenApi, key: string, build: () => fc.Arbitrary<T>): fc.Arbitrary<T> {
  let arbs = built.get(doc);
  if (!arbs) built.set(doc, (arbs = new Map()));
  let arb = arbs.get(key);
  if (!arb) arbs.set(key, (arb = build()));
  return arb as fc.Arbitrary<T>;
}
const json = (doc: OpenApi, maxDepth: number) => once(doc, `json ${maxDepth}`, () => fc.jsonValue({ maxDepth }));

/** Values the schema accepts (as far as its keywords go: what the generated document says). */
export function valid(doc: OpenApi, schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  // Past depth 2 every level builds alike (arrays of at most one), so depth 3 stands for all deeper.
  return once(doc, `valid ${Math.min(depth, 3)} ${JSON.stringify(s)}`, () => build(doc, s, depth));
}

function build(doc: OpenApi, s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  const options = s.anyOf ?? s.oneOf;
  if (options) return fc.oneof(...options.map((o) => valid(doc, o, depth + 1)));
  if (s.allOf?.length) return valid(doc, s.allOf[0], depth + 1);
  switch (s.type) {
    case 'object': {
      const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, valid(doc, v, depth + 1)]));
      return fc.record(props, { requiredKeys: s.required ?? [] });
    }
    case 'array':
      return fc.array(valid(doc, s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, depth > 2 ? 1 : 3) });
    case 'string':
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= (s.minLength ?? 0) && x.length <= (s.maxLength ?? Infinity));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 200, 200), unit: 'grapheme' });
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    default:
      return json(doc, 2);
  }
}

/** Values that break the schema somewhere: a wrong type, a missing field, an unknown one, or anything at all. */
export function invalid(doc: OpenApi, schema: Schema): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const anything = json(doc, 3);
  if (s.type !== 'object' || !s.properties) return anything;
  const keys = Object.keys(s.properties);
  return fc.oneof(
    anything,
    valid(doc, s).map((v) => ({ ...(v as object), ['unknown_' + keys.length]: 1 })),
    fc.tuple(valid(doc, s), fc.constantFrom(...keys), anything).map(([v, k, bad]) => ({ ...(v as object), [k]: bad })),
    fc.tuple(valid(doc, s), fc.constantFrom(...keys)).map(([v, k]) => {
      const copy = { ...(v as Record<string, unknown>) };
      delete copy[k];
      return copy;
    }),
  );
}

/** What the fuzz sends to one operation: path parameters, query, body, content type, or a raw text body. */
export interface FuzzRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  contentType: string | undefined;
  raw: string | undefined;
}

/**
 * Requests for an operation, valid and invalid: path parameters from their schema, any text or
 * troublesome escapes (and `known` values, such as ids that exist, when given), the query
 * parameters it documents and some it does not, bodies that fit the schema or break it, odd
 * content types.
 */
export function fuzzRequests(doc: OpenApi, op: Operation, known: Record<string, string[]> = {}): fc.Arbitrary<FuzzRequest> {
  const pathValue = (name: string) => {
    const schema = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema ?? {};
    const some = [valid(doc, schema).map(String), once(doc, 'path text', () => fc.string({ unit: 'grapheme', maxLength: 40 })), fc.constantFrom('..', '%', '%00', '%E0%A4%A', 'a'.repeat(300))];
    return known[name]?.length ? fc.oneof(fc.constantFrom(...known[name]), ...some) : fc.oneof(...some);
  };
  return fc.record({
    params: fc.record(Object.fromEntries((op.path.match(/\{(\w+)\}/g) ?? []).map((p) => [p.slice(1, -1), pathValue(p.slice(1, -1))]))),
    // The query parameters the operation documents, valid or not, and some it does not know.
    query: fc
      .tuple(
        fc.record(
          Object.fromEntries(
            (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, fc.oneof(valid(doc, p.schema ?? {}), json(doc, 1)).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))]),
          ),
          { requiredKeys: [] },
        ),
        once(doc, 'other query', () => fc.dictionary(fc.constantFrom('limit', 'cursor', 'q', 'token', 'x'), fc.string({ maxLength: 20 }), { maxKeys: 3 })),
      )
      .map(([documented, other]) => ({ ...other, ...documented }) as Record<string, string>),
    body: op.requestBody?.content['application/json'] ? fc.oneof(valid(doc, op.requestBody.content['application/json'].schema), invalid(doc, op.requestBody.content['application/json'].schema)) : fc.option(json(doc, 2), { nil: undefined }),
    contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x', 'application/octet-stream', undefined),
    raw: once(doc, 'raw body', () => fc.option(fc.string({ maxLength: 60 }), { freq: 4, nil: undefined })),
  });
}
