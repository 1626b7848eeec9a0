import { type SchemaOptions, type Static, type TSchema, Type } from '@sinclair/typebox';

/** `T | null`, written as OpenAPI 3.0 `nullable` so the document stays 3.0-valid. */
export const Nullable = <T extends TSchema>(schema: T) =>
  Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });

/** An optional request field that also accepts an explicit null (treated as absent). */
export const Opt = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

export const Timestamp = (options: SchemaOptions = {}) =>
  Type.String({ format: 'date-time', examples: ['2023-03-09T23:57:05.756Z'], ...options });

export const Uuid = (options: SchemaOptions = {}) => Type.String({ format: 'uuid', ...options });

export const Text = (maxLength: number, options: SchemaOptions = {}) =>
  Type.String({ maxLength, ...options });

export const HttpUrl = (options: SchemaOptions = {}) =>
  Type.String({
    maxLength: 2048,
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+[^\\s]*$',
    'x-error': 'Enter a valid URL (http or https).',
    ...options,
  });

export const Email = (options: SchemaOptions = {}) =>
  Type.String({ format: 'email', maxLength: 254, ...options });

export const HexColor = (options: SchemaOptions = {}) =>
  Type.String({
    pattern: '^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$',
    'x-error': 'Enter a valid hex color, e.g. "#1A73E8".',
    ...options,
  });

export const Detail = Type.Object(
  { detail: Type.String() },
  { $id: 'Detail', description: 'An error about the request as a whole.' },
);

export const FieldErrors = Type.Object(
  {},
  {
    $id: 'FieldErrors',
    additionalProperties: true,
    description:
      'Validation errors, one key per bad field with a list of messages; nested fields nest; ' +
      'errors about the body as a whole are under `non_field_errors`. Some 400s carry `detail` instead.',
    examples: [{ email: ['Enter a valid email address.'] }],
  },
);

/** Documented error answers shared by every authenticated route. */
export const errorResponses = {
  401: Type.Ref(Detail),
  404: Type.Ref(Detail),
  503: Type.Ref(Detail, {
    description: 'The database is busy or out of reach; nothing was done. Retry after `Retry-After` seconds.',
  }),
} as const;

export const Limit = Type.Integer({
  minimum: 1,
  maximum: 200,
  default: 10,
  description: 'Number of objects returned per page. Default: 10. Maximum: 200.',
});

export const Cursor = Type.String({
  maxLength: 4096,
  description:
    'The URL returned in `next` or `previous`, or the opaque `cursor` it carries; it carries the filters ' +
    'and limit of the list. Empty: the first page.',
});

export const Page = <T extends TSchema>(item: T, description: string) =>
  Type.Object(
    {
      next: Nullable(
        Type.String({ format: 'uri', description: 'URL of the next page, or null on the last.' }),
      ),
      previous: Nullable(
        Type.String({ format: 'uri', description: 'URL of the previous page, or null on the first.' }),
      ),
      results: Type.Array(item),
    },
    { description },
  );

/** A path id; anything that is not a UUID answers 404 (see the error handler), never 500. */
export const IdParams = Type.Object({
  id: Type.String({
    format: 'uuid',
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  }),
});
export type IdParams = { id: string };
