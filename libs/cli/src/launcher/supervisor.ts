import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Backoff } from './backoff';
import { prefixLines } from './line-prefixer';

export interface ProcessSpec {
  name: string;
  /** A compiled Node script; run with this Node, never through a shell. */
  script: string;
  env: NodeJS.ProcessEnv;
}

/** The exit code services use for a configuration error: retrying cannot help. */
const EXIT_CONFIG = 78;

interface Managed {
  spec: ProcessSpec;
  child: ChildProcess | null;
  startedAt: number;
  backoff: Backoff;
  restartTimer: NodeJS.Timeout | null;
}

export interface SupervisorOptions {
  write: (text: string) => void;
  transform?: (line: string) => string;
  /** How long a child may take to stop after SIGTERM before it is killed. */
  stopTimeoutMs?: number;
}

/**
 * Runs services as child processes: prefixes their output, restarts a crashed one with
 * exponential backoff, and stops them in reverse start order (so services can publish
 * `offline` before the broker goes). Emits `fatal` when a child reports a config error.
 */
export class Supervisor extends EventEmitter {
  private readonly managed: Managed[] = [];
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    super();
  }

  start(spec: ProcessSpec): void {
    const entry: Managed = { spec, child: null, startedAt: 0, backoff: new Backoff(), restartTimer: null };
    this.managed.push(entry);
    this.spawn(entry);
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries(this.managed.map((m) => [m.spec.name, m.child?.pid]));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const entry of [...this.managed].reverse()) {
      if (entry.restartTimer) clearTimeout(entry.restartTimer);
      await this.stopOne(entry);
    }
  }

  private log(message: string): void {
    this.options.write(`${'[launcher]'.padEnd(16)}${message}\n`);
  }

  private spawn(entry: Managed): void {
    const { name, script, env } = entry.spec;
    // Own process group: a Ctrl-C in the terminal reaches only the launcher, which then stops
    // the services in order. The IPC channel lets a child notice if the launcher itself dies.
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], detached: true });
    entry.child = child;
    entry.startedAt = Date.now();
    this.log(`started ${name} (pid ${child.pid})`);
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) prefixLines(stream, name, this.options.write, this.options.transform);
    }
    child.on('exit', (code, signal) => {
      entry.child = null;
      if (this.stopping) return;
      if (code === EXIT_CONFIG) {
        this.log(`${name} refused its configuration (exit ${code}); not restarting`);
        this.emit('fatal', name);
        return;
      }
      const delay = entry.backoff.nextDelay(Date.now() - entry.startedAt);
      this.log(`${name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      entry.restartTimer = setTimeout(() => {
        entry.restartTimer = null;
        if (!this.stopping) this.spawn(entry);
      }, delay);
    });
  }

  private stopOne(entry: Managed): Promise<void> {
    const child = entry.child;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.log(`${entry.spec.name} did not stop in time; killing it`);
        child.kill('SIGKILL');
      }, this.options.stopTimeoutMs ?? 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        this.log(`stopped ${entry.spec.name}`);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
