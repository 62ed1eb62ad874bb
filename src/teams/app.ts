import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { CallerIdConstants, ConfigurationServiceClientCredentialFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Config } from '../config.ts';
import type { AppDeps } from '../core/context.ts';
import { MAX_BODY_BYTES, type Route } from '../http/server.ts';
import { messageOf } from '../log.ts';
import { checkActivity, Unauthorized, verifyBotToken } from './bot-token.ts';
import { register as registerCards } from './listeners/cards.ts';
import { register as registerConversations } from './listeners/conversations.ts';
import { register as registerMessages } from './listeners/messages.ts';
import { register as registerSearch } from './listeners/search.ts';
import { register as registerExtension } from './listeners/extension.ts';
import { BOT_FRAMEWORK_OPENID_METADATA_URL, openIdSigningKeys, SigningKeysUnavailable } from './signing-keys.ts';


export interface TeamsBot {
  /** Mounted on `POST /api/messages` of the one HTTP server. */
  route: Route;
}

export interface TeamsOptions {
  /**
   * Tests only: the bot's own token on its calls to the connector, instead of one
   * from Microsoft Entra with `MICROSOFT_APP_PASSWORD` (tests never call Microsoft).
   */
  outgoingToken?: () => Promise<string>;
}

/**
 * The Teams bot: teams-ai's Application on botbuilder's CloudAdapter. With
 * `MICROSOFT_APP_ID` every request must carry a valid Bot Framework token, checked
 * before its body is even read (else 401, nothing read, nothing written, nothing
 * sent); with only `TEAMS_ENABLED=true` it takes unauthenticated requests, for the Bot
 * Framework Emulator and Teams App Test Tool on a developer's machine (the server then
 * listens on 127.0.0.1 only). Transport only: typed lines and card submits go to the
 * channel-neutral commands.
 */
export function createTeamsBot(deps: AppDeps, options: TeamsOptions = {}): TeamsBot {
  const appId = deps.config.teams.appId;
  const adapter = teamsAdapter(deps.config, options);
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
  registerSearch(app, deps);
  registerExtension(app, deps);
  app.error(async (_turn, error) => deps.log.error('teams handler failed', { error }));
  const keys = appId ? openIdSigningKeys(deps.config.teams.openIdMetadataUrl ?? BOT_FRAMEWORK_OPENID_METADATA_URL, deps.log) : undefined;

  return {
    route: async (req, res) => {
      // Methods other than POST were answered 405 by the server (src/http/server.ts).
      try {
        const authorization = req.headers.authorization ?? '';
        const token = appId && keys ? await verifyBotToken(authorization, { appId, keys }) : undefined;
        const activity = await readJson(req);
        if (activity === 'too large') {
          json(res, 413, { error: 'activity too large' }, { connection: 'close' });
          return;
        }
        if (!activity || typeof activity.type !== 'string') {
          json(res, 400, { error: 'expected a JSON activity' });
          return;
        }
        if (token) checkActivity(token, activity);
        // botbuilder checks the token once more (ours must not be the only gate) and runs the turn.
        const invoke = await adapter.runTurn(authorization, withDates(activity), (turn) => app.run(turn).then(() => undefined));
        json(res, invoke?.status ?? 200, invoke?.body);
      } catch (error) {
        if (error instanceof Unauthorized || isAuthenticationError(error)) {
          const reason = error instanceof Unauthorized ? error.reason : `refused by botbuilder: ${messageOf(error).slice(0, 200)}`;
          deps.log.warn('teams request refused', { status: 401, reason, remote: req.socket.remoteAddress });
          json(res, 401, { error: 'unauthorized' });
        } else if (error instanceof SigningKeysUnavailable) {
          deps.log.error('teams request not checked: no signing keys', { status: 503 });
          json(res, 503, { error: 'temporarily unavailable' });
        } else if (req.readableAborted || res.destroyed) {
          // A client that went away mid-request is no fault of ours (as in src/http/server.ts).
          deps.log.debug('teams client went away', { error: messageOf(error) });
        } else {
          const reference = randomUUID().slice(0, 8);
          deps.log.error('teams request failed', { status: 500, reference, error });
          json(res, 500, { error: 'internal error', reference });
        }
      }
    },
  };
}

/** botbuilder's AuthenticationError (not exported by botbuilder itself): a refusal. */
function isAuthenticationError(error: unknown): boolean {
  return error instanceof Error && (error as { statusCode?: unknown }).statusCode === 401;
}

/** The public cloud's Bot Framework endpoints (botframework-connector's AuthenticationConstants). */
export const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  CallerId: CallerIdConstants.PublicAzureChannel,
};

/** TeamsAdapter whose turn can be run on an activity this file already parsed and checked. */
class McrTeamsAdapter extends TeamsAdapter {
  /** botbuilder authenticates `authorization` (nothing to check in the local mode) and runs the turn. */
  runTurn(authorization: string, activity: Activity, logic: (turn: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

/**
 * botbuilder's adapter with the bot registration's credentials (none: unauthenticated,
 * for local tools). With `MICROSOFT_OPENID_METADATA_URL`, botbuilder fetches its keys
 * there too, for channel and Emulator tokens alike: no token is ever checked against
 * keys from elsewhere (and ours refuses Emulator tokens outright).
 */
export function teamsAdapter(config: Config, options: TeamsOptions = {}): McrTeamsAdapter {
  const { appId, appPassword, tenantId, appType, openIdMetadataUrl } = config.teams;
  const settings = {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: appPassword,
    MicrosoftAppType: appType,
    MicrosoftAppTenantId: tenantId,
  };
  const credentials = options.outgoingToken ? new FixedTokenCredentialFactory(settings, options.outgoingToken) : new ConfigurationServiceClientCredentialFactory(settings);
  // Setting any endpoint makes botbuilder take the whole set as given, so the rest is the public cloud's.
  const endpoints = openIdMetadataUrl ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl, ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl } : {};
  return new McrTeamsAdapter(endpoints, credentials);
}

/** Signs the bot's calls to the connector with a given token (tests). */
class FixedTokenCredentialFactory extends ConfigurationServiceClientCredentialFactory {
  constructor(
    settings: ConstructorParameters<typeof ConfigurationServiceClientCredentialFactory>[0],
    private readonly token: () => Promise<string>,
  ) {
    super(settings);
  }

  override async createCredentials(...args: Parameters<ConfigurationServiceClientCredentialFactory['createCredentials']>) {
    await super.createCredentials(...args); // keeps botbuilder's app id check
    return {
      signRequest: async <T extends { headers: { set(name: string, value: string): void } }>(request: T) => {
        request.headers.set('authorization', `Bearer ${await this.token()}`);
        return request;
      },
    } as unknown as Awaited<ReturnType<ConfigurationServiceClientCredentialFactory['createCredentials']>>;
  }
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

/** botbuilder's `validateAndFixActivity`: timestamps as dates, the raw text kept. */
function withDates(body: Record<string, unknown>): Activity {
  const activity = body as Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    if (typeof activity[field] === 'string') {
      activity[raw] = activity[field];
      activity[field] = new Date(activity[field]);
    }
  }
  return activity as unknown as Activity;
}

/** Every answer of this route is JSON (or empty), never a stack or botbuilder's text. */
function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === undefined) res.writeHead(status, headers).end();
  else res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}
