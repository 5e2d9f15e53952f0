/**
 * A server in a runtime of its own (deno, bun, node), started as a child process and ready once
 * it prints "Listening on http://…", as the docs' server examples do.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ListeningServer {
  url: URL;
  stop(): void;
}

/** Starts `command` in `cwd` and waits (60 s at most) for its "Listening on http://…" line. */
export function listeningServer(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${command} did not start listening within 60 s:\n${output}`));
    }, 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening on (http:\/\/[^\s]+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve({ url: new URL(listening[1]!), stop: () => child.kill() });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before listening:\n${output}`));
    });
  });
}
