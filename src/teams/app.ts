import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { ConfigurationServiceClientCredentialFactory, type Request, type Response } from 'botbuilder';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import type { AppDeps } from '../core/context.ts';
import { MAX_BODY_BYTES, type Route } from '../http/server.ts';
import { register as registerCards } from './listeners/cards.ts';
import { register as registerConversations } from './listeners/conversations.ts';
import { register as registerMessages } from './listeners/messages.ts';


export interface TeamsBot {
  /** Mounted on `POST /api/messages` of the one HTTP server. */
  route: Route;
}

/**
 * The Teams bot: teams-ai's Application on botbuilder's CloudAdapter. With
 * `MICROSOFT_APP_ID` every request must carry a valid Bot Framework token (else 401,
 * nothing read); with only `TEAMS_ENABLED=true` it takes unauthenticated requests,
 * for the Bot Framework Emulator and Teams App Test Tool on a developer's machine.
 * Transport only: typed lines and card submits go to the channel-neutral commands.
 */
export function createTeamsBot(deps: AppDeps): TeamsBot {
  const appId = deps.config.teams.appId;
  const adapter = teamsAdapter(deps.config);
  adapter.onTurnError = async (turn, error) => {
    deps.log.error('teams turn failed', { error, activity: turn.activity.type });
  };
  const app = new Application<TurnState>({
    adapter,
    ...(appId && { botAppId: appId }),
    // Replaced cards go to everyone in the chat: a submitted form shows its confirmation, not a second chance.
    adaptiveCards: { actionExecuteResponseType: 1 /* REPLACE_FOR_ALL */ },
    removeRecipientMention: true,
    startTypingTimer: false,
  });
  registerConversations(app, deps);
  registerMessages(app, deps);
  registerCards(app, deps);
  app.error(async (_turn, error) => deps.log.error('teams handler failed', { error }));

  return {
    route: async (req, res) => {
      const body = await readJson(req);
      if (body === 'too large' || body === undefined) {
        res.writeHead(body ? 413 : 400, { 'content-type': 'text/plain', ...(body && { connection: 'close' }) }).end(body ? 'activity too large\n' : 'expected a JSON activity\n');
        return;
      }
      await adapter.process({ body, headers: req.headers, method: req.method } satisfies Request, nodeResponse(res), (turn) => app.run(turn).then(() => undefined));
    },
  };
}

/** botbuilder's adapter with the bot registration's credentials (none: unauthenticated, for local tools). */
export function teamsAdapter(config: Config): TeamsAdapter {
  const { appId, appPassword, tenantId, appType } = config.teams;
  const credentials = new ConfigurationServiceClientCredentialFactory({
    MicrosoftAppId: appId,
    MicrosoftAppPassword: appPassword,
    MicrosoftAppType: appType,
    MicrosoftAppTenantId: tenantId,
  });
  return new TeamsAdapter({}, credentials);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | 'too large' | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too large';
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** botbuilder's Response (restify/express style) over Node's own. */
function nodeResponse(res: ServerResponse): Response {
  let status = 200;
  let payload: unknown;
  return {
    socket: res.socket,
    status: (code: number) => {
      status = code;
    },
    header: (name: string, value: unknown) => {
      res.setHeader(name, String(value));
    },
    send: (body: unknown) => {
      payload = body;
    },
    end: () => {
      if (res.headersSent) return;
      if (payload === undefined) {
        res.writeHead(status).end();
      } else if (typeof payload === 'string') {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(payload);
      } else {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      }
    },
  };
}
