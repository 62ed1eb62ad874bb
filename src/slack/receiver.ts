// What the thread that reads Slack's requests needs of Bolt, and nothing of the bot: with Slack's
// answers on threads of their own (answers-thread.ts), that thread imports this module alone,
// not app.ts, whose listeners bring every command, rule and renderer (issue 19 part 3).
import { HTTPReceiver, LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from '../http/server.ts';
import type { Logger } from '../log.ts';
import { arrival } from './arrival.ts';

/**
 * Bolt's receiver of Slack's requests on `POST /slack/events`: each one's signature and
 * timestamp checked, a body over MAX_BODY_BYTES refused, its arrival kept (arrival.ts).
 */
export function createSlackReceiver(signingSecret: string, logger: BoltLogger): HTTPReceiver {
  return new HTTPReceiver({ signingSecret, endpoints: '/slack/events', logger, bodyLimit: MAX_BODY_BYTES, customPropertiesExtractor: arrival });
}

/** How far a request's timestamp may be from our clock, either way (Slack's own advice: five minutes). */
export const SLACK_CLOCK_SKEW_SECONDS = 300;

/**
 * Bolt refuses a signed request stamped more than five minutes in the past, not one
 * stamped in the future: a signature leaked today would then be replayable until its
 * date. Such a request, or one whose timestamp is not a number, is answered 401 (as a
 * bad signature is) before Bolt reads it. A request without a timestamp goes on to
 * Bolt, which lets only Slack's unsigned `ssl_check=1` through (stripped of anything
 * else) and answers 401 to the rest.
 */
export function refuseFutureRequests(listener: RequestListener, log: Logger, now = () => Date.now()): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers['x-slack-request-timestamp'];
    if (header !== undefined) {
      const stamp = Array.isArray(header) || !/^\d{1,12}$/.test(header) ? Number.NaN : Number(header);
      const skew = stamp - now() / 1000;
      if (!Number.isFinite(stamp) || skew > SLACK_CLOCK_SKEW_SECONDS) {
        log.warn('slack request refused', { reason: Number.isFinite(stamp) ? 'timestamp in the future' : 'timestamp not a number', skewSeconds: Number.isFinite(skew) ? Math.round(skew) : undefined });
        res.setHeader('connection', 'close');
        res.writeHead(401).end();
        return;
      }
    }
    listener(req, res);
  };
}

/** Bolt's log lines into ours. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => log.debug(msg.map(String).join(' '), { source: 'bolt' }),
    info: (...msg) => log.info(msg.map(String).join(' '), { source: 'bolt' }),
    warn: (...msg) => log.warn(msg.map(String).join(' '), { source: 'bolt' }),
    error: (...msg) => log.error(msg.map(String).join(' '), { source: 'bolt' }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
