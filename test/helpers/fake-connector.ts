import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeServer } from './fake-server.ts';

/** A call the bot made to the Bot Framework connector. */
export interface ConnectorCall {
  method: 'POST' | 'PUT' | 'GET' | 'DELETE';
  /** `send` (new message or reply), `update`, `member`, or the raw path. */
  kind: 'send' | 'update' | 'member' | 'other';
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
  /** The bot's own credentials on the call (`Authorization`), when it sent any. */
  authorization?: string;
}

export interface FakeMember {
  name: string;
  email?: string;
  aadObjectId: string;
}

/**
 * A local stand-in for the Bot Framework connector (the `serviceUrl` of Teams
 * activities): records every message, update and typing indicator the bot sends, and
 * answers roster lookups (`TeamsInfo.getMember`) from `members`.
 */
export class FakeConnector extends FakeServer<ConnectorCall> {
  /** Channel user id (`29:…`) → member. */
  readonly members = new Map<string, FakeMember>();
  private next = 0;

  protected handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const parts = (req.url ?? '').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
    // v3 / conversations / {conversation} / (activities | members) / {id}
    const [, , conversationId = '', collection, id] = parts;
    const method = req.method as ConnectorCall['method'];
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const authorization = req.headers.authorization;
    if (collection === 'members' && method === 'GET') {
      const member = this.members.get(id ?? '');
      this.record({ method, kind: 'member', conversationId, ...(id && { activityId: id }), body, ...(authorization && { authorization }) });
      if (!member) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'MemberNotFoundInConversation', message: 'not found' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, name: member.name, aadObjectId: member.aadObjectId, email: member.email, userPrincipalName: member.email }));
      return;
    }
    const kind = collection === 'activities' ? (method === 'PUT' ? 'update' : 'send') : 'other';
    this.record({ method, kind, conversationId, ...(id && { activityId: id }), body, ...(authorization && { authorization }) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: method === 'PUT' ? id : `sent-${++this.next}` }));
  }

  /** Messages sent (not typing indicators), in order. */
  get messages(): ConnectorCall[] {
    return this.calls.filter((c) => c.kind === 'send' && c.body.type === 'message');
  }

  get updates(): ConnectorCall[] {
    return this.calls.filter((c) => c.kind === 'update');
  }

  /** Waits until `count` messages have been sent. */
  async waitForMessages(count: number, timeoutMs = 10_000): Promise<ConnectorCall[]> {
    await this.waitUntil(() => this.messages.length >= count, timeoutMs, () => `${count} messages; got ${this.messages.length}`);
    return this.messages;
  }
}

/** Who sends, and where: a personal chat by default. */
export interface Sender {
  id: string;
  aadObjectId: string;
  name: string;
  locale?: string;
  conversation?: { id: string; conversationType: 'personal' | 'groupChat' | 'channel' };
}

let sequence = 0;

function envelope(fake: FakeConnector, sender: Sender) {
  const conversation = sender.conversation ?? { id: `a:personal-${sender.id}`, conversationType: 'personal' as const };
  return {
    id: `incoming-${++sequence}`,
    channelId: 'msteams',
    serviceUrl: `${fake.url}/`,
    timestamp: new Date().toISOString(),
    from: { id: sender.id, aadObjectId: sender.aadObjectId, name: sender.name },
    recipient: { id: '28:mcr-bot', name: 'MCR Bot' },
    conversation: { ...conversation, tenantId: 'tenant-1', isGroup: conversation.conversationType !== 'personal' },
    locale: sender.locale ?? 'en-US',
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

/** A message activity as Teams posts it; in a channel, with the bot @mentioned. */
export function messageActivity(fake: FakeConnector, sender: Sender, text: string, options: { mention?: boolean } = {}) {
  const mention = options.mention ? '<at>MCR Bot</at> ' : '';
  return {
    ...envelope(fake, sender),
    type: 'message',
    text: `${mention}${text}`,
    textFormat: 'plain',
    ...(options.mention && { entities: [{ type: 'mention', text: '<at>MCR Bot</at>', mentioned: { id: '28:mcr-bot', name: 'MCR Bot' } }] }),
  };
}

/** An `adaptiveCard/action` invoke: an Action.Execute pressed on the card sent as `cardActivityId`. */
export function executeActivity(fake: FakeConnector, sender: Sender, cardActivityId: string, verb: string, data: Record<string, unknown>) {
  return {
    ...envelope(fake, sender),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: cardActivityId,
    value: { action: { type: 'Action.Execute', verb, data } },
  };
}

/** An `application/search` invoke: an Input.ChoiceSet's `Data.Query` type-ahead as the user types. */
export function searchActivity(fake: FakeConnector, sender: Sender, dataset: string, queryText: string, queryOptions: { skip?: number; top?: number } = {}) {
  return { ...envelope(fake, sender), type: 'invoke', name: 'application/search', value: { kind: 'search', queryText, dataset, queryOptions: { skip: 0, top: 15, ...queryOptions } } };
}

/** The bot was added to a conversation. */
export function installActivity(fake: FakeConnector, sender: Sender) {
  return { ...envelope(fake, sender), type: 'conversationUpdate', membersAdded: [{ id: '28:mcr-bot' }] };
}

/** Posts an activity to the bot as the Bot Framework service would. */
export async function postActivity(appUrl: string, activity: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${appUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  const text = await response.text();
  return { status: response.status, text, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
