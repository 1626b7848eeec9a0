import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';

const addFormats = ((formatsPlugin as unknown as { default?: typeof formatsPlugin }).default ??
  formatsPlugin) as unknown as (ajv: Ajv) => Ajv;

type Json = Record<string, unknown>;

/** Every object must declare its keys: an undocumented key in a response fails the test. */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string') out[k] = v.startsWith('#') ? `doc${v}` : v;
    else if (k === 'example' || k === 'examples') out[k] = v;
    else out[k] = closeObjects(v);
  }
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Validates responses against the OpenAPI document the app itself serves, so the code
 * and the document cannot drift apart.
 */
export class OpenApiChecker {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly cache = new Map<string, ValidateFunction | null>();
  private readonly routes: { method: string; re: RegExp; op: Json }[] = [];

  constructor(doc: Json) {
    this.ajv.addSchema(closeObjects({ components: doc.components }) as Json, 'doc');
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const re = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(item))
        this.routes.push({ method: method.toUpperCase(), re, op: op as Json });
    }
  }

  private validator(schema: unknown, key: string): ValidateFunction {
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile(closeObjects(schema) as Json);
      this.cache.set(key, v);
    }
    return v;
  }

  /** Throws with a readable message when the response is not what the document says. */
  check(method: string, url: string, status: number, body: unknown): void {
    const path = url.split('?')[0]!;
    const route = this.routes.find((r) => r.method === method && r.re.test(path));
    const generic = status >= 400 ? { type: 'object', properties: { detail: { type: 'string' } } } : null;
    let schema: unknown = null;
    let key = `${method} ${path} ${status}`;
    if (route) {
      const responses = route.op.responses as Record<string, Json>;
      const res = responses[String(status)];
      if (res) {
        schema = (res.content as Record<string, Json> | undefined)?.['application/json']?.schema ?? null;
        key = `${method} ${route.re.source} ${status}`;
        if (!schema && status !== 204) throw new Error(`${key}: documented without a JSON schema`);
      } else if ([405, 413, 415, 429, 500, 503, 507].includes(status)) {
        schema = { ...generic, required: ['detail'] };
        key = `generic-error`;
      } else {
        throw new Error(
          `${method} ${path} answered ${status}, which its OpenAPI operation does not document`,
        );
      }
    } else if (status >= 400) {
      schema = { ...generic, required: ['detail'] };
      key = 'generic-error';
    }
    if (!schema) return;
    const validate = this.validator(schema, key);
    if (!validate(body)) {
      throw new Error(
        `${method} ${url} → ${status} does not match its OpenAPI schema: ${this.ajv.errorsText(validate.errors)}\n` +
          JSON.stringify(body).slice(0, 2000),
      );
    }
  }
}
