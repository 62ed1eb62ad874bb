import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';

/** The Monday mix of issue 19: what share of the requests each kind is. */
export const MIX = [
  { kind: 'brief', share: 0.6 },
  { kind: 'visit', share: 0.2 },
  { kind: 'tier', share: 0.1 },
  { kind: 'home', share: 0.1 },
] as const;
export type RequestKind = (typeof MIX)[number]['kind'];

/** An account of the data set and one of its contacts (a visit names both). */
export interface Target {
  accountId: number;
  contactId: number;
}

/** A request the load sent, for matching its reply. */
export interface Sent {
  kind: RequestKind;
  id: string;
  user: string;
  at: number;
}

/**
 * Slack's requests as Slack sends them, signed (v0 HMAC-SHA256 of the timestamp and the
 * body) with a fresh timestamp each, for one simulated user: a slash command whose
 * `response_url` points at the stand-in with the request's id, a visit modal submitted
 * (a new visit each, its summary naming the request), or the Home tab opened.
 */
export function mondayRequest(kind: RequestKind, id: string, user: string, target: Target, standInUrl: string, secret: string) {
  let body: string;
  let contentType = 'application/x-www-form-urlencoded';
  if (kind === 'brief' || kind === 'tier') {
    body = new URLSearchParams({
      token: 'x', team_id: 'T1', team_domain: 'load', channel_id: 'CLOADUSERS', channel_name: 'load', user_id: user, user_name: user,
      command: `/${kind}`, text: `#${target.accountId}`, api_app_id: 'A1', response_url: `${standInUrl}/response/${id}`, trigger_id: `trigger-${id}`,
    }).toString();
  } else if (kind === 'visit') {
    const input = (type: string, value: Record<string, unknown>) => ({ value: { type, ...value } });
    body = new URLSearchParams({
      payload: JSON.stringify({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: user },
        api_app_id: 'A1',
        view: {
          id: `VLOAD${id}`,
          hash: 'h',
          callback_id: 'mcr_form',
          private_metadata: JSON.stringify({ f: 'visit', c: {}, r: { next_steps: 1 }, ch: 'CLOADUSERS' }),
          blocks: [],
          state: {
            values: {
              account: { 'lookup:account': { type: 'external_select', selected_option: { value: `#${target.accountId}` } } },
              type: input('static_select', { selected_option: { value: 'visit' } }),
              contacts: { 'lookup:contact:account': { type: 'multi_external_select', selected_options: [{ value: `#${target.contactId}` }] } },
              summary: input('plain_text_input', { value: `load-${id}` }),
            },
          },
        },
      }),
    }).toString();
  } else {
    contentType = 'application/json';
    body = JSON.stringify({
      token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: `Ev${id}`, event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: `${Date.now() / 1000}` },
    });
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const sent: Sent = { kind, id, user, at: performance.now() };
  return { sent, request: { method: 'POST' as const, path: '/slack/events', headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature }, body } };
}

/** The kind of the next request, drawn from {@link MIX} with `rnd()` in [0, 1). */
export function pickKind(rnd: () => number): RequestKind {
  let x = rnd();
  for (const { kind, share } of MIX) {
    if (x < share) return kind;
    x -= share;
  }
  return MIX[0].kind;
}
