import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Factory = ReturnType<typeof SerializerSelector>;

/**
 * Fastify's response serializers, each compiled on its route's first answer instead of at
 * start: compiling every route's (fast-json-stringify checks each schema, then generates code)
 * was a third of the time to a healthy server, for routes a process may never answer.
 */
export function lazySerializers(): Factory {
  const factory = SerializerSelector();
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    return (route) => {
      let serialize: ((doc: unknown) => string) | undefined;
      return (doc) => {
        serialize ??= compile(route);
        return serialize(doc);
      };
    };
  };
}
