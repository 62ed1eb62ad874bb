const EMPTY = -1;
/** The slots grow (double) once more than this share of them is taken. */
const MAX_LOAD = 0.5;

/** FNV-1a over the name's UTF-16 code units: 32 bits. */
function fnv1a(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A second, unrelated 32-bit hash of the name (a multiply-xorshift mix, seeded with its length). */
function mix(name: string): number {
  let h = name.length ^ 0x9e3779b9;
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/**
 * Contact ids by account and name as stored, for the imports that name contacts (activities,
 * ratings), in 16 bytes a contact plus the slots: a million contacts (×10 in the bench) in
 * about 25 MB, where Maps of the names took about 90 MB of an import's heap for the whole
 * import. A name is kept as two unrelated 32-bit hashes (64 bits), not as text: a name
 * the account does not have would have to agree with one it has on all 64 bits to be
 * taken for it, about one chance in 10^17 a lookup for an account of a hundred contacts
 * (a typo that spells another contact's name is far likelier). A name not found here is
 * looked up by its name key in the database (lookups.ts), so a miss is never wrong.
 */
export class ContactIds {
  #accounts = new Int32Array(1024);
  #first = new Uint32Array(1024);
  #second = new Uint32Array(1024);
  #ids = new Int32Array(1024);
  #slots = new Int32Array(2048).fill(EMPTY);
  #count = 0;

  get size(): number {
    return this.#count;
  }

  add(accountId: number, name: string, id: number): void {
    const a = fnv1a(name);
    const b = mix(name);
    if (this.#find(accountId, a, b) !== EMPTY) return;
    if (this.#count === this.#ids.length) this.#growRows();
    if (this.#count + 1 > this.#slots.length * MAX_LOAD) this.#growSlots();
    const n = this.#count++;
    this.#accounts[n] = accountId;
    this.#first[n] = a;
    this.#second[n] = b;
    this.#ids[n] = id;
    this.#place(n);
  }

  /** The id of the contact of this account with exactly this name, if any. */
  get(accountId: number, name: string): number | undefined {
    const at = this.#find(accountId, fnv1a(name), mix(name));
    return at === EMPTY ? undefined : this.#ids[at];
  }

  #slotOf(accountId: number, a: number): number {
    return (Math.imul(accountId, 0x9e3779b1) ^ a) & (this.#slots.length - 1);
  }

  #find(accountId: number, a: number, b: number): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let i = this.#slotOf(accountId, a); ; i = (i + 1) & mask) {
      const at = slots[i]!;
      if (at === EMPTY) return EMPTY;
      if (this.#first[at] === a && this.#second[at] === b && this.#accounts[at] === accountId) return at;
    }
  }

  #place(n: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let i = this.#slotOf(this.#accounts[n]!, this.#first[n]!);
    while (slots[i] !== EMPTY) i = (i + 1) & mask;
    slots[i] = n;
  }

  #growRows(): void {
    const grown = <A extends Int32Array | Uint32Array>(from: A, make: (n: number) => A): A => {
      const to = make(from.length * 2);
      to.set(from);
      return to;
    };
    this.#accounts = grown(this.#accounts, (n) => new Int32Array(n));
    this.#first = grown(this.#first, (n) => new Uint32Array(n));
    this.#second = grown(this.#second, (n) => new Uint32Array(n));
    this.#ids = grown(this.#ids, (n) => new Int32Array(n));
  }

  #growSlots(): void {
    this.#slots = new Int32Array(this.#slots.length * 2).fill(EMPTY);
    for (let n = 0; n < this.#count; n++) this.#place(n);
  }
}
