// dynalite in a worker thread: the DynamoDB side gets a core of its own while the handlers run on the main
// thread (still one process). Plain JavaScript so the worker needs no TypeScript loader.
import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { markStoppedCleanly, openedAfterUncleanStop } from './dynalite-repair.mjs';

// A process killed mid-write leaves items and indexes apart (dynalite-repair.mjs): mended before serving.
const repaired = workerData.path ? await openedAfterUncleanStop(workerData.path) : undefined;
const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
// Keep in step with TTL_SWEEP_USER_AGENT (ttl-sweeper.ts) and HARNESS_USER_AGENT (system.ts).
const TTL_SWEEP = 'bris-local-ttl-sweep';
const HARNESS = 'bris-local-harness';
const TABLE_SETUP = new Set(['CreateTable', 'DescribeTable']);
const requests = new Map();
const harnessRequests = new Map();
// `recordTo`: every counted request, one JSON line each (its arrival number among the counted requests,
// operation, requests in flight when it arrived, its body), for the bench to replay the same mix against a
// fresh dynalite (bench/request-replay.ts); and how many the run answered with an error (4xx/5xx).
const recording = workerData.recordTo ? createWriteStream(workerData.recordTo) : undefined;
let arrived = 0;
let answeredWithError = 0;
let inFlight = 0;
server.on('request', (req, res) => {
  const userAgent = req.headers['user-agent'] ?? '';
  // The local TTL sweep (ttl-sweeper.ts) stands in for DynamoDB's own TTL, which no bill counts.
  if (userAgent.includes(TTL_SWEEP)) return;
  const operation = req.headers['x-amz-target']?.split('.')[1] ?? 'unknown';
  // The simulated people's and tests' own questions (/dev/clock.json): counted apart, never the system's.
  const counts = userAgent.includes(HARNESS) ? harnessRequests : requests;
  counts.set(operation, (counts.get(operation) ?? 0) + 1);
  if (!recording || counts === harnessRequests) return;
  const seq = ++arrived;
  const arrivedWith = ++inFlight;
  res.once('close', () => {
    inFlight--;
    // Table setup's expected "no such table yet" is not the system's work; the replay makes its own table.
    if (res.statusCode >= 400 && !TABLE_SETUP.has(operation)) answeredWithError++;
  });
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (recording.writableEnded) return; // arrived after the recording was closed
    const body = Buffer.concat(chunks).toString() || 'null';
    recording.write(
      `{"seq":${seq},"op":${JSON.stringify(operation)},"inFlight":${arrivedWith},"body":${body}}\n`,
    );
  });
});
/**
 * A request that came over a MessagePort (infra/local/dynalite-channel.ts) instead of a socket: it goes to
 * the same 'request' listeners (dynalite's handler, the counting and recording above) as an object with the
 * parts of IncomingMessage and ServerResponse they use, and the answer goes back over the port.
 */
let channelInFlight = 0;
let stopping = false;
let whenChannelIdle;
// Stopping (below) refuses what the channel still sends: dynalite's database closes, and a request served
// after that throws in this thread ("Database is closed") instead of answering.
const STOPPING_ANSWER = Buffer.from(
  JSON.stringify({
    __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'dynalite is stopping',
  }),
);

function serve(port, { id, method, path, headers, body }) {
  if (stopping) {
    port.postMessage({
      id,
      statusCode: 500,
      headers: { 'content-type': 'application/x-amz-json-1.0' },
      body: STOPPING_ANSWER,
    });
    return;
  }
  channelInFlight++;
  const req = new EventEmitter();
  req.method = method;
  req.url = path;
  req.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const res = new EventEmitter();
  const answerHeaders = {};
  res.statusCode = 200;
  res.setHeader = (name, value) => (answerHeaders[name.toLowerCase()] = String(value));
  res.getHeader = (name) => answerHeaders[name.toLowerCase()];
  res.end = (data) => {
    if (res.ended) return;
    res.ended = true;
    const bytes = data === undefined ? new Uint8Array() : Buffer.from(data);
    port.postMessage({ id, statusCode: res.statusCode, headers: answerHeaders, body: bytes });
    res.emit('close');
    if (--channelInFlight === 0) whenChannelIdle?.();
  };
  try {
    server.emit('request', req, res);
    if (body) req.emit('data', Buffer.from(body));
    req.emit('end');
  } catch (error) {
    // Answered as a server error, as a socket's request would be, and never left counted as under way.
    if (res.ended) return;
    res.statusCode = 500;
    res.end(
      JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
        message: String(error),
      }),
    );
  }
}

server.once('error', (error) => parentPort.postMessage({ error: String(error) }));
server.listen(0, '127.0.0.1', () =>
  parentPort.postMessage({ port: server.address().port, repaired: repaired ?? null }),
);
parentPort.on('message', (message) => {
  if (message?.connect) message.connect.on('message', (request) => serve(message.connect, request));
  if (message === 'requests') parentPort.postMessage({ requests: [...requests] });
  if (message === 'harnessRequests') parentPort.postMessage({ harnessRequests: [...harnessRequests] });
  if (message === 'endRecording') {
    const ended = { arrived, answeredWithError };
    if (!recording) parentPort.postMessage({ recordingEnded: ended });
    else recording.end(() => parentPort.postMessage({ recordingEnded: ended }));
  }
  if (message === 'stop') {
    // The channel's requests under way are answered first, as the server's close waits for its sockets.
    stopping = true;
    const close = () =>
      server.close((error) => {
        // A close that had to force the database shut may have cut a write in two: mended at the next start.
        if (workerData.path && !error) markStoppedCleanly(workerData.path);
        parentPort.postMessage({ stopped: true });
      });
    if (channelInFlight === 0) close();
    else whenChannelIdle = close;
  }
});
