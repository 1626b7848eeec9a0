import { startSink } from './smtp-sink.ts';

// The SMTP sink in a process of its own, so the load generator never slows its answers.
// Tells the parent each accepted message's key and arrival (epoch ms) over IPC.
const sink = await startSink();
sink.onArrival = (key) => process.send?.({ key, at: performance.timeOrigin + performance.now() });
process.send?.({ port: sink.port });
process.on('disconnect', () => process.exit(0));
