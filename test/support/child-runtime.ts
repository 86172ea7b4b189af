/** The local runtime as a real child process (`infra/local/main.ts`), to be killed with SIGKILL and started again. */
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from '../../infra/local/synth';

export class ChildRuntime {
  private child?: ChildProcess;
  readonly base: string;

  constructor(
    private readonly dataDir: string,
    private readonly port = 41_000 + Math.floor(Math.random() * 8000),
  ) {
    this.base = `http://localhost:${port}`;
  }

  async start(): Promise<void> {
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
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    // A cold start on a busy machine (tsx compiling, dynalite opening its files) can take a while.
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) break;
      try {
        if ((await fetch(`${this.base}/`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`local runtime did not start: ${stderr.slice(-2000)}`);
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}
