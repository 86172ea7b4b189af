// Both ends of the local mailbox's SMTP in a worker thread: the SMTP server with its MIME parsing, and the
// pooled nodemailer client the system's sends go through. Still real SMTP over a socket, still one process;
// the main thread keeps the mailbox's record (mailbox.ts) and only hands over a message's fields. Measured
// on the lifecycle bench: the two ends were ~17 % of the main thread's busy time. Plain JavaScript so the
// worker needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';

/** Arrived messages waiting for the main thread to record them (SMTP answers only once it has), by number. */
const arrivals = new Map();
let arrivalSeq = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  banner: 'Bris local mailbox',
  size: 1024 * 1024,
  onData: (stream, session, callback) => {
    // textAsHtml (with its link detection) is never read: skipping it saves the parse.
    simpleParser(stream, { skipTextToHtml: true, skipTextLinks: true })
      .then((mail) => {
        const seq = ++arrivalSeq;
        arrivals.set(seq, callback);
        const header = (name) => {
          const value = mail.headers.get(name);
          return value === undefined || value === null ? undefined : String(value);
        };
        parentPort.postMessage({
          arrived: seq,
          mail: {
            messageId: mail.messageId,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            template: header('x-bris-template') ?? '',
            referralId: header('x-bris-referral'),
            language: header('content-language') ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            attachments: mail.attachments.map((a) => ({
              filename: a.filename ?? '',
              contentType: a.contentType,
              content: a.content.toString('utf8'),
            })),
          },
        });
      })
      .catch((error) => callback(error));
  },
});

let transport;

parentPort.on('message', (m) => {
  if (m.stored !== undefined) {
    // Recorded (and on disk) by the main thread: now the sender may be told it was accepted.
    const callback = arrivals.get(m.stored);
    arrivals.delete(m.stored);
    callback?.(m.error ? new Error(m.error) : undefined);
  } else if (m.send !== undefined) {
    transport.sendMail(m.mail).then(
      () => parentPort.postMessage({ sent: m.send }),
      (error) => parentPort.postMessage({ sent: m.send, error: error.message, code: error.code }),
    );
  } else if (m === 'stop') {
    transport?.close();
    server.close(() => parentPort.postMessage({ stopped: true }));
  }
});

server.once('error', (error) => parentPort.postMessage({ listenError: error.message }));
server.listen(workerData.port, '127.0.0.1', () => {
  const { port } = server.server.address();
  transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 5,
  });
  parentPort.postMessage({ port });
});
