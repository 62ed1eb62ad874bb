import { describe, expect, it } from 'vitest';
import { mention, withMentions } from '../../src/core/mentions.ts';
import type { Reply } from '../../src/core/reply.ts';
import { cleanText, forbiddenInName } from '../../src/domain/text.ts';

/** `@{id}` typed inside a name or a note is text: only the bot's own mentions become mentions. */
describe('mentions typed by a user', () => {
  const people = { 3: { name: 'Carol', slackId: 'U333', teamsId: null } };
  const slack = (p: { name: string; slackId: string | null }) => (p.slackId ? `<@${p.slackId}>` : p.name);

  it('an account named "Acme @{3}" keeps its name; the owner beside it is the one mention', () => {
    const reply: Reply = { title: 'Acme @{3}', blocks: [{ type: 'list', items: [`Acme @{3} · next step — ${mention(3)}`] }], visibility: 'private', mentions: people };
    const shown = withMentions(reply, slack);
    expect(shown.title).toBe('Acme @{3}');
    expect(shown.blocks).toEqual([{ type: 'list', items: ['Acme @{3} · next step — <@U333>'] }]);
    // With an escape (Slack's path for every reply) and no people named: the typed text is kept, not blanked.
    const escaped = withMentions({ blocks: [{ type: 'text', text: 'Acme @{3}' }], visibility: 'private' }, slack, (s) => s.replace(/&/g, '&amp;'));
    expect(escaped.blocks).toEqual([{ type: 'text', text: 'Acme @{3}' }]);
  });

  it('the mark of a real mention cannot be typed: names refuse it and free text loses it', () => {
    const forged = mention(3);
    expect(forged).not.toBe('@{3}');
    expect(forbiddenInName(`Acme ${forged}`)).toBeDefined();
    expect(cleanText(`note ${forged}`, { multiline: true })).toBe('note @{3}');
    expect(withMentions({ blocks: [{ type: 'text', text: cleanText(`note ${forged}`, { multiline: true }) }], visibility: 'private', mentions: people }, slack).blocks).toEqual([{ type: 'text', text: 'note @{3}' }]);
  });
});
