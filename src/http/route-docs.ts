import { Type } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import { type ErrorKind, statusOf } from '../errors.ts';
import { Detail } from './schema.ts';

type Schema = Record<string, unknown> & { hide?: boolean; response?: Record<string, unknown> };

/**
 * Adds a `{"detail"}` answer to a documented route's responses (keeping one the route
 * documents itself), so behaviour added by a hook shows in the OpenAPI document. The schema
 * object is replaced, not edited: routes share their response maps.
 */
export function documentDetailResponse(route: RouteOptions, kind: ErrorKind, description: string): void {
  const status = statusOf(kind);
  const schema = route.schema as Schema | undefined;
  if (!schema || schema.hide) return;
  if (schema.response?.[status]) return;
  route.schema = {
    ...schema,
    response: { ...schema.response, [status]: Type.Ref(Detail, { description }) },
  };
}

/** Adds an optional request header to a documented route. */
export function documentHeader(route: RouteOptions, name: string, description: string): void {
  const schema = route.schema as (Schema & { headers?: { properties?: object } }) | undefined;
  if (!schema || schema.hide) return;
  const headers = schema.headers ?? Type.Object({});
  route.schema = {
    ...schema,
    headers: {
      ...headers,
      properties: {
        ...headers.properties,
        [name]: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description })),
      },
    },
  };
}

/** A route of a method with a body can meet a body it cannot parse: a 400 `{"detail"}`. */
export function documentBodyErrors(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.some((m) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(m))) {
    documentDetailResponse(route, 'bad_request', 'The body is not valid JSON (`JSON parse error - ...`).');
  }
}
