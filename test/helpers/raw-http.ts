import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request as a hostile client sends it: any method (fetch refuses TRACE and
 * friends), any path, a body sent whole, in chunks (`transfer-encoding: chunked`), or
 * cut short. Resolves with the answer, or `undefined` when the server closed without one.
 */
export function rawRequest(base: string, options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: Array<string | Buffer>; cutAfter?: string }): Promise<RawResponse | undefined> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const req = request({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    // A server that answers before the whole body is sent (413) may close the socket under the writer.
    req.on('error', () => resolve(undefined));
    if (options.cutAfter !== undefined) {
      req.write(options.cutAfter);
      setTimeout(() => req.destroy(), 100);
      return;
    }
    if (options.chunks) {
      const chunks = [...options.chunks];
      const next = () => {
        const chunk = chunks.shift();
        if (chunk === undefined) return void req.end();
        if (req.destroyed) return;
        req.write(chunk, () => setImmediate(next));
      };
      next();
      return;
    }
    req.end(options.body);
  });
}
