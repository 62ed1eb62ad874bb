import * as z from 'zod';
import { findAccountById } from '../src/db/account.repository.ts';
import { insertContact, searchContacts, updateContact } from '../src/db/contact.repository.ts';
import type { DbOrTrx } from '../src/db/create-db.ts';
import { findPeopleByIds } from '../src/db/person.repository.ts';
import { arg, flag, type Args, type FlagSpec } from '../src/core/args.ts';
import { defineCommand, type Context } from '../src/core/command.ts';
import { AppError, fieldLabelOf, InputError, invalidField } from '../src/core/errors.ts';
import { personName, ref } from '../src/core/format.ts';
import { options, personIds, resolveField } from '../src/core/forms.ts';
import type { Form, FormValues, Reply } from '../src/core/reply.ts';
import { changedFields, type ContactRole } from '../src/core/permissions.ts';
import { matchId, resolveAccount, resolveContact } from '../src/core/resolve.ts';
import { guardContactRoles, peekPersonIds, SOMEONE_NEW } from '../src/core/role-guard.ts';
import { freeText, nameText } from '../src/core/validate.ts';
import { formOrSubmit, personFields, personValues, recordForm, refuseEmptyEdit, submitRecord } from '../src/core/record-form.ts';
import { parseBirthday } from '../src/domain/dates.ts';
import { NEED_LEVELS, POSITIONS, ROLES, STYLES } from '../src/domain/model.ts';
import { nameKey } from '../src/domain/names.ts';
import { repeatedOwner } from '../src/domain/owners.ts';
import type { Account, Contact } from '../src/domain/types.ts';
import { label, t } from '../src/i18n/index.ts';

const OWNERS = ['owner_a', 'owner_b', 'owner_c'] as const;
const FIELDS = ['account', 'name', 'title', 'department', 'position', 'role', ...OWNERS, 'style', 'need_level', 'birthday', 'rising_star', 'notes'];

const schema = z.object({
  account: z.string().min(1),
  name: nameText(200),
  title: freeText(200, { multiline: false }).optional(),
  department: freeText(200, { multiline: false }).optional(),
  position: z.enum(POSITIONS).optional(),
  role: z.enum(ROLES),
  owner_a: z.string().optional(),
  owner_b: z.string().optional(),
  owner_c: z.string().optional(),
  style: z.enum(STYLES).optional(),
  need_level: z.coerce.number().int().min(1).max(5).optional(),
  birthday: z.string().refine((v) => parseBirthday(v) !== null, 'validation.birthday').optional(),
  rising_star: z.enum(['yes', 'no']).optional(),
  notes: freeText(3000, { multiline: true }).optional(),
});

/** The record's fields as flags (`--owner-a`, also written `--owner_a`). */
const FIELD_FLAGS: Record<string, FlagSpec> = {
  name: arg.text(), title: arg.text(), department: arg.text(), position: arg.choice(POSITIONS, 'position'), role: arg.choice(ROLES, 'role'),
  ...Object.fromEntries(OWNERS.map((o) => [o.replace(/_/g, '-'), arg.text('EMAIL')])),
  style: arg.choice(STYLES, 'style'), 'need-level': arg.choice(NEED_LEVELS, 'need'), birthday: arg.text('MM-DD'), 'rising-star': arg.boolean(), notes: arg.text(),
};

/** `contact add|edit|show`: people at an account and their place on the decision chain (§2). */
export const contact = defineCommand({
  name: 'contact',
  usage: 'contact add <name> --account A [--position S|A|B|C] [--role R] [--owner-a EMAIL] … | contact edit <name> [--account A] [--field value …] | contact show <name>',
  grammar: {
    flags: { account: arg.text('A') },
    subs: {
      add: { subject: { name: 'name' }, flags: FIELD_FLAGS },
      edit: { subject: { name: 'contact', required: true }, flags: FIELD_FLAGS },
      show: { subject: { name: 'contact', required: true } },
    },
  },
  summary: 'cmd.contact.summary',
  examples: ['contact add "Zhang Wei" --account Acme --position A --role decision_maker --owner-a alice@example.com --owner-b bob@example.com', 'contact edit Priya --style analytical', 'contact show "Tom Baker"'],
  run: async (ctx, args) => {
    const [sub, ...rest] = args.positional;
    const name = rest.join(' ');
    const accountName = flag(args, 'account');
    const scope = accountName ? await resolveAccount(ctx, accountName) : undefined;
    if (sub === 'show') return show(ctx, await resolveContact(ctx, name, scope?.id));
    if (sub === 'add') {
      if (scope) await refuseDuplicate(ctx, name, scope);
      return openOrSubmit(ctx, args, { name, role: 'none', account: scope ? `#${scope.id}` : undefined }, undefined);
    }
    if (sub === 'edit') {
      const existing = await resolveContact(ctx, name, scope?.id);
      refuseEmptyEdit(ctx, args, FIELDS.filter((f) => f !== 'account'), 'contact');
      return openOrSubmit(ctx, args, await currentValues(ctx, existing), existing);
    }
    throw new AppError('command.usage', { usage: contact.usage });
  },
  forms: {
    'contact.add': { submit: (ctx, values) => submit(ctx, values, undefined) },
    'contact.edit': { submit: async (ctx, values, context) => submit(ctx, values, await resolveContact(ctx, `#${context.contact}`)) },
  },
});

/** `--account` names where the contact is (or is looked for), not a change: only the other flags fill fields. */
function openOrSubmit(ctx: Context, args: Args, base: FormValues, existing: Contact | undefined): Promise<Reply> | Reply {
  return formOrSubmit(args, FIELDS.filter((f) => f !== 'account'), base, (values) => contactForm(ctx, values, existing), (values) => submit(ctx, values, existing));
}

async function currentValues(ctx: Context, c: Contact): Promise<FormValues> {
  return {
    account: `#${c.accountId}`, name: c.name, title: c.title ?? undefined, department: c.department ?? undefined,
    position: c.position ?? undefined, role: c.role, ...(await personValues(ctx, { owner_a: c.ownerAId, owner_b: c.ownerBId, owner_c: c.ownerCId })),
    style: c.style ?? undefined, need_level: c.needLevel?.toString(),
    birthday: c.birthday ? (c.birthYear ? `${c.birthYear}-${c.birthday}` : c.birthday) : undefined,
    rising_star: c.risingStar ? 'yes' : 'no', notes: c.notes ?? undefined,
  };
}

function contactForm(ctx: Context, values: FormValues, existing: Contact | undefined): Form {
  const L = ctx.locale;
  return recordForm(L, 'contact', existing, [
    { id: 'account', kind: 'lookup', source: 'account', multiple: false, label: t(L, 'field.account'), required: true },
    { id: 'name', kind: 'text', label: t(L, 'field.name'), required: true, maxLength: 200 },
    { id: 'title', kind: 'text', label: t(L, 'field.title'), required: false },
    { id: 'department', kind: 'text', label: t(L, 'field.department'), required: false },
    { id: 'position', kind: 'choice', label: t(L, 'field.position'), required: false, options: options(L, 'position', POSITIONS) },
    { id: 'role', kind: 'choice', label: t(L, 'field.role'), required: true, options: options(L, 'role', ROLES) },
    ...personFields(L, OWNERS),
    { id: 'style', kind: 'choice', label: t(L, 'field.style'), required: false, options: options(L, 'style', STYLES) },
    { id: 'need_level', kind: 'choice', label: t(L, 'field.need_level'), required: false, options: options(L, 'need', NEED_LEVELS) },
    { id: 'birthday', kind: 'text', label: t(L, 'field.birthday'), hint: t(L, 'hint.birthday'), required: false },
    { id: 'rising_star', kind: 'choice', label: t(L, 'field.rising_star'), required: false, options: options(L, 'yesno', ['yes', 'no']) },
    { id: 'notes', kind: 'longtext', label: t(L, 'field.notes'), required: false, maxLength: 3000 },
  ], values);
}

function submit(ctx: Context, values: FormValues, existing: Contact | undefined): Promise<Reply> {
  return submitRecord(ctx, values, {
    kind: 'contact',
    existing,
    form: (v) => contactForm(ctx, v, existing),
    fieldIds: FIELDS,
    normalise: (raw) => {
      raw.position = raw.position?.toUpperCase();
      raw.role = raw.role === undefined ? 'none' : matchId('role', ROLES, raw.role) ?? raw.role;
      if (raw.style) raw.style = matchId('style', STYLES, raw.style) ?? raw.style;
      if (raw.rising_star) raw.rising_star = matchId('yesno', ['yes', 'no'], raw.rising_star) ?? raw.rising_star;
    },
    schema,
    resolve: async (input) => {
      await refuseRepeatedOwner(ctx, input);
      const account = await resolveField('account', () => resolveAccount(ctx, input.account));
      // Before anyone is created or anything written: an edit that changes owners it may not is refused whole.
      if (existing) {
        const current = existing.accountId === account.id ? account : (await findAccountById(ctx.db, existing.accountId))!;
        const after = { account: account.id, ...(await peekPersonIds(ctx, input, OWNERS)) };
        guardContactRoles(ctx, current, existing, changedFields(rolesOf(existing), after));
      }
      const owners = await personIds(ctx, input, OWNERS);
      await refuseDuplicate(ctx, input.name, account, existing);
      const birthday = input.birthday ? parseBirthday(input.birthday)! : undefined;
      const fields = {
        accountId: account.id,
        name: input.name,
        title: input.title ?? null,
        department: input.department ?? null,
        position: input.position ?? null,
        role: input.role,
        ownerAId: owners.owner_a ?? null,
        ownerBId: owners.owner_b ?? null,
        ownerCId: owners.owner_c ?? null,
        style: input.style ?? null,
        needLevel: input.need_level ?? null,
        birthday: birthday?.monthDay ?? null,
        birthYear: birthday?.year ?? null,
        risingStar: input.rising_star === 'yes',
        notes: input.notes ?? null,
      };
      return { account, fields };
    },
    write: async (w, { account, fields }) => {
      const saved = existing ? await updateContact(w.trx, existing.id, fields, ctx.now) : await insertContact(w.trx, fields, ctx.today, ctx.now);
      await w.audit(existing ? 'contact.update' : 'contact.create', 'contact', saved.id, { account: account.name, name: saved.name });
      return saved;
    },
    show: (saved, db) => show(ctx, saved, db),
    titleVars: (_, { account }) => ({ account: account.name }),
  });
}

/** §2 one person in two owner slots hides a single-owner relationship: refused, naming the slot. */
async function refuseRepeatedOwner(ctx: Context, input: Partial<Record<(typeof OWNERS)[number], string>>): Promise<void> {
  const peeked = await peekPersonIds(ctx, input, OWNERS);
  const repeat = repeatedOwner(OWNERS.map((o) => (peeked[o] === SOMEONE_NEW ? input[o]! : peeked[o])));
  if (!repeat) return;
  const [field, same] = [OWNERS[repeat.slot]!, OWNERS[repeat.same]!];
  throw new InputError({ [field]: invalidField(field, { code: 'validation.same_owner', values: { other: fieldLabelOf(same) } }) });
}

/** The guarded fields of a contact as they stand (permissions.ts). */
function rolesOf(c: Contact): Record<ContactRole, unknown> {
  return { account: c.accountId, owner_a: c.ownerAId, owner_b: c.ownerBId, owner_c: c.ownerCId };
}

async function show(ctx: Context, c: Contact, db: DbOrTrx = ctx.db): Promise<Reply> {
  const L = ctx.locale;
  const account = (await findAccountById(db, c.accountId))!;
  const people = await findPeopleByIds(db, [c.ownerAId, c.ownerBId, c.ownerCId].filter((id): id is number => id !== null));
  return {
    title: `${c.name} · ${account.name}`,
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: t(L, 'field.title'), value: [c.title, c.department].filter(Boolean).join(', ') || '—' },
          { label: t(L, 'field.position'), value: c.position ? label(L, 'position', c.position) : '—' },
          { label: t(L, 'field.role'), value: label(L, 'role', c.role) },
          { label: t(L, 'field.owners'), value: [c.ownerAId, c.ownerBId, c.ownerCId].map((id) => personName(people, id)).filter(Boolean).join(', ') || '—' },
          { label: t(L, 'field.style'), value: c.style ? label(L, 'style', c.style) : '—' },
          { label: t(L, 'field.need_level'), value: c.needLevel ? label(L, 'need', c.needLevel) : '—' },
          { label: t(L, 'field.birthday'), value: c.birthday ?? '—' },
        ],
      },
      ...(c.notes ? [{ type: 'text' as const, text: c.notes }] : []),
      { type: 'actions', actions: [{ label: t(L, 'action.rate', { name: c.name }), command: `rate #${c.id}` }, { label: t(L, 'action.brief'), command: `brief --contact #${c.id}` }] },
    ],
    visibility: 'private',
    data: {
      contact: { ...ref(c), account: ref(account), title: c.title, department: c.department, position: c.position, role: c.role, key: c.role !== 'none',
        owners: [c.ownerAId, c.ownerBId, c.ownerCId].filter((id): id is number => id !== null).map((id) => ({ id, name: personName(people, id) })),
        style: c.style, needLevel: c.needLevel, birthday: c.birthday, risingStar: c.risingStar },
    },
  };
}

/** A contact's name is unique within its account (forgivingly): say so before asking for anything else. */
async function refuseDuplicate(ctx: Context, name: string, account: Account, existing?: Contact): Promise<void> {
  if (!name) return;
  const clash = (await searchContacts(ctx.db, name, account.id, 1)).find((c) => nameKey(c.name) === nameKey(name) && c.id !== existing?.id);
  if (clash) throw new AppError('contact.exists', { name: clash.name, account: account.name });
}
