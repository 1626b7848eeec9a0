import Fastify from 'fastify';

/**
 * The ceiling: bare Fastify answering a fixed JSON object of the same size as an invite,
 * with no auth, database or schema. Started as its own process like the real server.
 */
const body = JSON.parse(process.env.CEILING_BODY ?? '{}');
const app = Fastify({ logger: false });
app.get('/ceiling', async () => body);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
