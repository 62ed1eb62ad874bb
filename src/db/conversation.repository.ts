import type { DbOrTrx } from './create-db.ts';
import type { ConversationRow, ConversationsTable } from './schema.ts';

export interface Conversation {
  platform: ConversationsTable['platform'];
  conversationId: string;
  kind: ConversationsTable['kind'];
  personId: number | null;
  /** The platform's own reference, parsed. */
  reference: Record<string, unknown>;
}

function toConversation(row: ConversationRow): Conversation {
  return { platform: row.platform, conversationId: row.conversation_id, kind: row.kind, personId: row.person_id, reference: JSON.parse(row.reference) as Record<string, unknown> };
}

/**
 * Remembers where the bot can post later. Every incoming activity calls this, so it
 * writes only when the reference (or who the personal chat belongs to) changed.
 */
export async function rememberConversation(db: DbOrTrx, conversation: Conversation, now: Date): Promise<void> {
  const reference = JSON.stringify(conversation.reference);
  const stored = await db
    .selectFrom('conversations')
    .select(['reference', 'person_id', 'kind'])
    .where('platform', '=', conversation.platform)
    .where('conversation_id', '=', conversation.conversationId)
    .executeTakeFirst();
  if (stored && stored.reference === reference && stored.person_id === conversation.personId && stored.kind === conversation.kind) return;
  const row = { reference, person_id: conversation.personId, kind: conversation.kind, updated_at: now.toISOString() };
  await db
    .insertInto('conversations')
    .values({ platform: conversation.platform, conversation_id: conversation.conversationId, ...row })
    .onConflict((oc) => oc.columns(['platform', 'conversation_id']).doUpdateSet(row))
    .execute();
}

export async function findConversation(db: DbOrTrx, platform: Conversation['platform'], conversationId: string): Promise<Conversation | undefined> {
  const row = await db.selectFrom('conversations').selectAll().where('platform', '=', platform).where('conversation_id', '=', conversationId).executeTakeFirst();
  return row && toConversation(row);
}

/** A person's personal chat on a platform, for direct messages. */
export async function findPersonalConversation(db: DbOrTrx, platform: Conversation['platform'], personId: number): Promise<Conversation | undefined> {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('platform', '=', platform)
    .where('person_id', '=', personId)
    .where('kind', '=', 'personal')
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  return row && toConversation(row);
}
