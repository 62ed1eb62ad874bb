import { App, type HTTPReceiver, type Receiver } from '@slack/bolt';
import type { RequestListener } from 'node:http';
import type { Context } from '../core/command.ts';
import type { AppDeps } from '../core/context.ts';
import type { Reply } from '../core/reply.ts';
import { createTurns } from '../core/turns.ts';
import { register as registerActions } from './listeners/actions.ts';
import { register as registerCommands } from './listeners/commands.ts';
import { register as registerEvents } from './listeners/events.ts';
import { register as registerNative } from './listeners/native.ts';
import { register as registerOptions } from './listeners/options.ts';
import { register as registerViews } from './listeners/views.ts';
import { boltLogger, createSlackReceiver, refuseFutureRequests } from './receiver.ts';
import { ephemeralMessage } from './reply.ts';
import { senderOf, TURN } from './turn.ts';

export interface SlackAdapter {
  app: App;
  /** Mounted on `POST /slack/events` of the one HTTP server (HTTP mode); the server lets only POST through. */
  requestListener?: RequestListener;
  /** A reply as the slash commands send it (start-up renders one to warm the path). */
  render(ctx: Context, reply: Reply): unknown;
  /** Socket Mode: connect to Slack; HTTP mode: nothing to do. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** How long stop() waits for listeners still working after their ack. */
const DRAIN_MS = 3_000;

/**
 * The Slack app: Bolt over HTTP (signed requests on `/slack/events`), or Socket Mode
 * when `SLACK_APP_TOKEN` is set. Transport only: every listener hands the user's
 * words or form to the channel-neutral commands and renders what comes back.
 */
export function createSlackAdapter(deps: AppDeps, options: { receiver?: Receiver } = {}): SlackAdapter {
  const { botToken, signingSecret, appToken, apiUrl } = deps.config.slack;
  const logger = boltLogger(deps.log);
  // The Web API client retries a 429 after its Retry-After by itself.
  const clientOptions = apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {};
  let app: App;
  let receiver: HTTPReceiver | undefined;
  if (options.receiver) {
    // On Slack's answers thread (answers-thread.ts): the requests come verified from the thread that took them.
    app = new App({ token: botToken, receiver: options.receiver, logger, clientOptions });
  } else if (appToken) {
    app = new App({ token: botToken, appToken, socketMode: true, logger, clientOptions });
  } else {
    // config.ts refuses SLACK_BOT_TOKEN without a signing secret or an app token.
    receiver = createSlackReceiver(signingSecret!, logger);
    app = new App({ token: botToken, receiver, logger, clientOptions });
  }
  // What a listener does after its ack (most of its work: Slack wants the ack within 3 s) is no
  // longer an HTTP request in flight; stop() waits for it so that SIGTERM does not close the
  // database under a command half done.
  const inFlight = new Set<Promise<void>>();
  // Each request takes its place in its sender's line as it arrives; listeners wait for it after their ack (turnOf).
  const turns = createTurns();
  app.use(async ({ next, body, context }) => {
    const person = senderOf(body);
    const turn = person === undefined ? undefined : turns.take(person);
    if (turn) context[TURN] = turn;
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      turn?.release();
      inFlight.delete(work);
    }
  });
  registerCommands(app, deps);
  registerViews(app, deps);
  registerActions(app, deps);
  registerOptions(app, deps);
  registerEvents(app, deps);
  registerNative(app, deps);
  app.error(async (error) => deps.log.error('slack listener failed', { error }));
  return {
    app,
    render: (ctx, reply) => ephemeralMessage(ctx, reply),
    ...(receiver && { requestListener: refuseFutureRequests(receiver.requestListener, deps.log) }),
    start: async () => {
      if (appToken) await app.start();
    },
    stop: async () => {
      if (appToken) await app.stop();
      await drain(inFlight);
    },
  };
}

/** Waits for the work in flight, at most {@link DRAIN_MS}: a listener stuck on a Slack call that never answers must not hold a stop for ever. */
export async function drain(inFlight: Set<Promise<unknown>>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => (timer = setTimeout(resolve, DRAIN_MS)))]);
  clearTimeout(timer);
}
