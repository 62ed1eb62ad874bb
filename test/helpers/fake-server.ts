import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the local stand-ins for Slack's Web API and the Bot Framework connector share:
 * an HTTP server on a free port that reads each request whole, records what the app
 * sent, and lets a test wait until enough has arrived (the app works after its ack).
 */
export abstract class FakeServer<Call> {
  readonly calls: Call[] = [];
  url = '';
  private server: Server;
  private waiters: Array<() => void> = [];

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => {
        const bytes = Buffer.concat(chunks);
        this.handle(req, bytes.toString(), res, bytes);
      });
    });
  }

  /** Answers one request whose body is `raw`. */
  protected abstract handle(req: IncomingMessage, raw: string, res: ServerResponse, bytes: Buffer): void;

  /** Records a call and wakes whoever waits for calls. */
  protected record(call: Call): void {
    this.calls.push(call);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** Waits until `done()` holds, failing after `timeoutMs` with `got()` saying what arrived. */
  protected async waitUntil(done: () => boolean, timeoutMs: number, got: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting: ${got()}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}
