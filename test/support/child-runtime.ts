/** The local runtime as a real child process (`infra/local/main.ts`), to be killed with SIGKILL and started again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/local/synth';

export class ChildRuntime {
  private child?: ChildProcess;
  readonly base: string;
  /** Everything every run printed (stdout and stderr, appended across restarts), for a failing test to show. */
  readonly logFile: string;

  constructor(
    private readonly dataDir: string,
    // Below Linux's ephemeral range (32768–60999): while the runtime is down between a kill and its
    // restart, an outgoing connection of another test (the soak's thousand concurrent posts) could
    // otherwise be holding the port, and the restart failed with EADDRINUSE.
    private readonly port = 20_000 + 2 * Math.floor(Math.random() * 5000),
  ) {
    this.base = `http://localhost:${port}`;
    this.logFile = join(dataDir, 'runtime.log');
  }

  async start(): Promise<void> {
    const log = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(this.port),
        SMTP_PORT: String(this.port + 1),
        DATA_DIR: this.dataDir,
        DEMO_REFERRALS: '0',
        FAST_FORWARD: '1',
      },
      stdio: ['ignore', log, log],
    });
    closeSync(log); // the child holds its own copy
    this.child = child;
    // A cold start on a busy machine (tsx compiling, dynalite opening its files) can take a while.
    for (const deadline = Date.now() + 90_000; Date.now() < deadline;) {
      if (child.exitCode !== null) break;
      try {
        if ((await fetch(`${this.base}/`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`local runtime did not start: ${this.logTail()}`);
  }

  /** The last lines the runtime printed. */
  logTail(chars = 4000): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-chars);
    } catch {
      return '(no log)';
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}
