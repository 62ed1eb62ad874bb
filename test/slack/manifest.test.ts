import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/create-db.ts';
import { createSlackAdapter } from '../../src/slack/app.ts';
import { slashCommands } from '../../src/slack/listeners/commands.ts';
import { LOG_VISIT_SHORTCUT } from '../../src/slack/listeners/native.ts';
import { commandIndex, memoryLogger } from '../helpers/context.ts';

describe('Slack app manifest and modes', () => {
  const manifest = JSON.parse(readFileSync(new URL('../../manifest/slack/manifest.json', import.meta.url), 'utf8'));

  it('declares exactly the slash commands the app serves, all on /slack/events', () => {
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command.slice(1)).sort();
    expect(declared).toEqual(slashCommands(commandIndex).sort());
    for (const c of manifest.features.slash_commands) expect(c.url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'users:read', 'users:read.email']));
  });

  it('opens the Messages tab to typed commands and declares the message shortcut the app serves', () => {
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('message.im');
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['im:history', 'chat:write']));
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: LOG_VISIT_SHORTCUT, name: 'Log a visit from this message' })]);
  });

  it('uses Socket Mode, and no HTTP route, when SLACK_APP_TOKEN is set', async () => {
    const config = loadConfig({ DATABASE_URL: 'file::memory:', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' });
    const db = createDb(config.databaseUrl);
    try {
      const adapter = createSlackAdapter({ db, config, log: memoryLogger(), commands: commandIndex });
      expect(adapter.requestListener).toBeUndefined();
      expect((adapter.app as unknown as { receiver: object }).receiver.constructor.name).toBe('SocketModeReceiver');
    } finally {
      await db.destroy();
    }
  });

  it('over HTTP needs the signing secret: start-up stops naming it', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/^SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN/);
  });
});
