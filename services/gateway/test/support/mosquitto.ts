import { execFile, spawn, type ChildProcess } from 'node:child_process';
import type { Credentials, TestBroker } from '@printfleet/testing';

/** `-h -p -u -P` for Debian's mosquitto clients, from a broker URL and an account. */
export function loginArgs(url: string, login: Credentials): string[] {
  const { hostname, port } = new URL(url);
  return ['-h', hostname, '-p', port, '-u', login.username, '-P', login.password];
}

/** Runs `mosquitto_pub` (argument array, never a shell); rejects with its stderr on failure. */
export function mosquittoPub(args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('mosquitto_pub', args, { timeout: 10_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`mosquitto_pub ${args.join(' ')} failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

export interface SubMessage {
  topic: string;
  retain: boolean;
  payload: string;
}

let subs = 0;

/**
 * A `mosquitto_sub` process, `-F %j` so each message is one JSON line (topic, retain flag,
 * payload). `ready` resolves when the broker has registered its subscription (Aedes'
 * `subscribe` event for its client id): its stdout is block-buffered when piped, so it cannot
 * say so itself. Give it `-C n` (and `-W`) so it ends by itself.
 */
export class MosquittoSub {
  readonly messages: SubMessage[] = [];
  readonly ready: Promise<void>;
  readonly done: Promise<SubMessage[]>;
  private readonly child: ChildProcess;

  constructor(broker: TestBroker, args: string[]) {
    const clientId = `mosquitto-sub-${process.pid}-${++subs}`;
    let onReady!: () => void;
    this.ready = new Promise((resolve) => (onReady = resolve));
    const aedes = broker.broker.aedes;
    const onSubscribe = (_subs: unknown, client: { id: string } | null) => {
      if (client?.id !== clientId) return;
      aedes.off('subscribe', onSubscribe);
      onReady();
    };
    aedes.on('subscribe', onSubscribe);
    this.child = spawn('mosquitto_sub', ['-i', clientId, '-F', '%j', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const m = JSON.parse(line) as { topic: string; retain: boolean | number; payload?: unknown };
        this.messages.push({
          topic: m.topic,
          retain: Boolean(m.retain),
          payload: typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload ?? ''),
        });
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    // 'close', not 'exit': a process may exit before its last stdout bytes are read.
    this.done = new Promise((resolve, reject) =>
      this.child.once('close', (code) =>
        code === 0 ? resolve(this.messages) : reject(new Error(`mosquitto_sub ${args.join(' ')} exited ${code}: ${err}`)),
      ),
    );
    // A sub that never gets its SUBACK fails through `done`; keep `ready` from hanging the test.
    this.done.then(onReady, onReady).finally(() => aedes.off('subscribe', onSubscribe));
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
