// dynalite in a worker thread: the DynamoDB side gets a core of its own while the handlers run on the main
// thread (still one process). Plain JavaScript so the worker needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const requests = new Map();
server.on('request', (req) => {
  // The local TTL sweep (ttl-sweeper.ts) stands in for DynamoDB's own TTL, which no bill counts.
  if (req.headers['user-agent']?.includes('bris-local-ttl-sweep')) return;
  const operation = req.headers['x-amz-target']?.split('.')[1] ?? 'unknown';
  requests.set(operation, (requests.get(operation) ?? 0) + 1);
});
server.once('error', (error) => parentPort.postMessage({ error: String(error) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'requests') parentPort.postMessage({ requests: [...requests] });
  if (message === 'stop') server.close(() => parentPort.postMessage({ stopped: true }));
});
