// Bolt, the bot's Slack code and the warm-up are imported where used, not here: the thread that
// reads requests starts the first answers thread before it loads Bolt's receiver (receiver.ts), and
// never loads the bot's listeners or commands (see startSlackFront).
import type { AckFn, App, Receiver, ReceiverEvent } from '@slack/bolt';
import { parentPort } from 'node:worker_threads';
import type { RequestListener } from 'node:http';
import { startBotThread, type AskThread, type BotThread, type FromThread } from '../bot-thread.ts';
import type { Config } from '../config.ts';
import type { AppDeps } from '../core/context.ts';
import type { Metrics } from '../core/metrics.ts';
import { messageOf, withFields, type Logger } from '../log.ts';
import { senderOf } from './turn.ts';

/** What Slack's answers thread starts with (copied to it: plain data). */
export interface SlackThreadData {
  config: Config;
  /** Whether the starting thread counts metrics (else none are sent back). */
  metrics: boolean;
}

/** A request verified and parsed on the thread that took it; `acked` when that thread has answered it already. */
type SlackRequest = { type: 'request'; id: number; body: ReceiverEvent['body']; retryNum?: number; retryReason?: string; customProperties?: ReceiverEvent['customProperties']; acked: boolean };
export type ToSlackThread = AskThread | SlackRequest;
/** The answer of a request that was not acked at once (a form's errors, a menu's options); `answered` when a request's work is done. */
export type FromSlackThread = FromThread | { type: 'ack'; id: number; response?: unknown } | { type: 'answered'; id: number };

/**
 * Requests whose HTTP answer carries the bot's answer: a form submitted (its errors, the next
 * form, or nothing once it is saved: issue 8) and a menu's options. Every other request is
 * acked empty before any work (style.md: ack first), so it is acked here, at once.
 */
const answeredInTheAck = (body: ReceiverEvent['body']) => body.type === 'view_submission' || body.type === 'block_suggestion';

export interface SlackFront {
  /** Mounted on `POST /slack/events`. */
  requestListener: RequestListener;
  /** Once the first answers thread is up and warm (the others start then). */
  ready: Promise<void>;
  /** Each answers thread's database pool by the thread's name (`slack-1`…), for /metrics (undefined while it cannot say). */
  pools: Array<[string, BotThread<ToSlackThread>['pool']]>;
  /** After the HTTP server closed: each thread finishes what it was handed and closes its database. */
  stop(): Promise<void>;
}

/**
 * Slack over HTTP with the answers on a thread of their own (issue 19 part 2). This thread
 * only reads each request, verifies its signature (Bolt's HTTPReceiver, as before), acks it
 * when the ack carries nothing, and hands it on; the answers' thread (slack-main.ts) runs the
 * bot's Bolt app, listeners unchanged: the queries, the rules, the rendering, the replies
 * and pictures posted. Under load a request's ack no longer waits behind other requests'
 * work on the thread that reads it (bench --load: an ack p99 3–20× bare Bolt's, the requests
 * queued behind the answers' work on one busy thread). With `SLACK_ANSWER_THREADS` above 1,
 * as many answers threads, two people's requests side by side, one person's in order ({@link AnswersRouter}).
 */
export async function startSlackFront(config: Config, processLog: Logger, metrics?: Metrics): Promise<SlackFront> {
  let sent = 0;
  let stopping = false;
  const data: SlackThreadData = { config, metrics: metrics !== undefined };
  const count = config.slack.answerThreads;
  const threads: Array<{ thread: BotThread<ToSlackThread>; waiting: Map<number, AckFn<unknown>>; up: boolean }> = [];
  const router = new AnswersRouter(count, (index) => threads[index]?.up === true);
  const start = (index: number) => {
    // Requests waiting for their answer from this thread, by id.
    const waiting = new Map<number, AckFn<unknown>>();
    const thread = startBotThread<ToSlackThread, FromSlackThread>({
      entry: 'slack-main',
      data,
      // Its log lines say which thread wrote them.
      log: withFields(processLog, { thread: threadName(index) }),
      ...(metrics && { metrics }),
      onMessage: (message) => {
        if (message.type === 'answered') return router.done(message.id);
        if (message.type !== 'ack') return;
        const ack = waiting.get(message.id);
        waiting.delete(message.id);
        // Too late: Bolt answered the request itself after 3 s without an ack (the thread was busy
        // before it began); the ack then fails, and must not take the process down with it.
        ack?.(message.response).catch((error: unknown) => processLog.warn('slack ack came after the request was answered', { error: messageOf(error) }));
      },
      onStarted: () => (threads[index]!.up = true),
      // Requests the thread had not answered are left unanswered: Slack tells the user it did not work (never an empty ack: a form would close as if saved).
      onExit: () => {
        threads[index]!.up = false;
        waiting.clear();
        router.lost(index);
      },
    });
    threads[index] = { thread, waiting, up: false };
    return thread;
  };
  // The first thread is what the bot waits for before it says ready; the others start after it
  // (as the scheduler's does), so that a cold start pays for one, and take their people once up.
  const ready = start(0).started;
  void ready.then(() => {
    for (let index = 1; index < count && !stopping; index++) start(index);
  }, () => undefined);
  // Started first, the thread loads its modules on another core while this one loads Bolt's receiver (~0.25 s of a cold
  // start): receiver.ts, not app.ts, whose listeners would bring the whole bot (~0.35 s, for nothing on this thread).
  const { boltLogger, createSlackReceiver, refuseFutureRequests } = await import('./receiver.ts');
  const receiver = createSlackReceiver(config.slack.signingSecret!, boltLogger(processLog));
  // The receiver's only use of its app: each verified request.
  receiver.init({
    processEvent: async (event: ReceiverEvent) => {
      const acked = !answeredInTheAck(event.body);
      if (acked) await event.ack();
      const id = ++sent;
      const answering = threads[router.take(id, senderOf(event.body))]!;
      if (!acked) answering.waiting.set(id, event.ack);
      const request: SlackRequest = { type: 'request', id, body: event.body, acked, ...(event.retryNum !== undefined && { retryNum: event.retryNum }), ...(event.retryReason !== undefined && { retryReason: event.retryReason }), ...(event.customProperties !== undefined && { customProperties: event.customProperties }) };
      if (!answering.thread.post(request)) {
        answering.waiting.delete(id);
        router.done(id);
        processLog.error('slack request not answered: the answers thread is restarting', { type: event.body.type ?? (event.body.command ? 'command' : undefined) });
      }
    },
  } as unknown as App);
  return {
    requestListener: refuseFutureRequests(receiver.requestListener, processLog),
    ready,
    pools: Array.from({ length: count }, (_, index) => [threadName(index), async () => threads[index]?.thread.pool()]),
    stop: async () => {
      stopping = true;
      await Promise.all(threads.map(({ thread }) => thread.stop()));
    },
  };
}

const threadName = (index: number) => `slack-${index + 1}`;

/**
 * Which answers thread takes each request. A person's request goes where their requests still
 * being answered are, so one person's are answered in the order sent (core/turns.ts keeps that
 * order within a thread); a person with none goes to their own thread ({@link threadOf}), or
 * while it is not up (starting, restarting) to the next one that is, or with none up to the
 * first (a request before the bot is ready waits for it). Requests without a sender (none
 * today) go round.
 */
export class AnswersRouter {
  // Each person with requests still being answered: on which thread, how many.
  private readonly held = new Map<string, { index: number; count: number }>();
  // Whose each of those requests is, by id.
  private readonly people = new Map<number, string>();

  constructor(private readonly count: number, private readonly isUp: (index: number) => boolean) {}

  /** The thread for request `id` of `person`. */
  take(id: number, person: string | undefined): number {
    const held = person === undefined ? undefined : this.held.get(person);
    if (held) {
      held.count++;
      this.people.set(id, person!);
      return held.index;
    }
    const own = threadOf(person, id, this.count);
    // None up (the bot starting, or every thread restarting): the first, which takes it once up (or refuses it while down).
    const index = Array.from({ length: this.count }, (_, step) => (own + step) % this.count).find(this.isUp) ?? 0;
    if (person === undefined) return index;
    this.held.set(person, { index, count: 1 });
    this.people.set(id, person);
    return index;
  }

  /** Request `id` has been answered (its listener's work is done), or was never handed on. */
  done(id: number): void {
    const person = this.people.get(id);
    if (person === undefined) return;
    this.people.delete(id);
    const held = this.held.get(person)!;
    if (--held.count === 0) this.held.delete(person);
  }

  /** Thread `index` stopped: what it held is gone with it, and its people may go elsewhere. */
  lost(index: number): void {
    for (const [id, person] of this.people) {
      if (this.held.get(person)?.index !== index) continue;
      this.people.delete(id);
      this.held.delete(person);
    }
  }
}

/** A person's own answers thread: FNV-1a of the sender (workspace and user), the same for them always. */
export function threadOf(sender: string | undefined, id: number, count: number): number {
  if (sender === undefined) return id % count;
  let hash = 0x811c9dc5;
  for (let i = 0; i < sender.length; i++) hash = Math.imul(hash ^ sender.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % count;
}

/**
 * The answers' thread's side (slack-main.ts): the bot's Bolt app fed by the requests the
 * other thread took, each acked through it unless it was acked already; warm before it
 * says it started; on `stop`, its listeners' work finished and its database closed.
 */
export async function answerSlackRequests(deps: AppDeps, post: (message: FromSlackThread) => void): Promise<void> {
  let app: App | undefined;
  const receiver: Receiver = {
    init: (bolt) => {
      app = bolt;
    },
    start: async () => undefined,
    stop: async () => undefined,
  };
  const [{ createSlackAdapter, drain }, { warmUp }] = await Promise.all([import('./app.ts'), import('../core/warm-up.ts')]);
  const slack = createSlackAdapter(deps, { receiver });
  await warmUp(deps, [slack.render]);
  // Each request from its arrival to the end of its listener's work (Bolt's processEvent
  // resolves then): one handed over just before `stop` is finished too, though its listener
  // has not started yet.
  const received = new Set<Promise<unknown>>();
  parentPort!.on('message', async (message: ToSlackThread) => {
    if (message.type === 'request') {
      const { id, body, retryNum, retryReason, customProperties, acked } = message;
      let answered = acked;
      const ack = async (response?: unknown) => {
        if (answered) return;
        answered = true;
        post({ type: 'ack', id, ...(response !== undefined && { response }) });
      };
      const handled = app!.processEvent({ body, ack, ...(retryNum !== undefined && { retryNum }), ...(retryReason !== undefined && { retryReason }), ...(customProperties !== undefined && { customProperties }) }).catch((error: unknown) => deps.log.error('slack request failed', { error }));
      received.add(handled);
      await handled;
      received.delete(handled);
      post({ type: 'answered', id });
      return;
    }
    if (message.type === 'tick') return post({ type: 'done', id: message.id });
    // `pool` is answered by the thread's main (answerPoolAsks).
    if (message.type !== 'stop') return;
    await drain(received);
    await deps.db.destroy();
    post({ type: 'done', id: message.id });
    // Ends this thread only, whatever timers are still set (the Web API client's retries of a Slack that cannot be reached).
    process.exit(0);
  });
  post({ type: 'started' });
}
