const HEX_KEY = /^[0-9a-f]{32}$/;
const EMPTY = -1;

/** The 32-bit word written by the 8 hex digits (0-9a-f) at `from`, read without a substring. */
function hexWord(key: string, from: number): number {
  let word = 0;
  for (let i = from; i < from + 8; i++) {
    const c = key.charCodeAt(i);
    word = (word << 4) | (c <= 57 ? c - 48 : c - 87);
  }
  return word >>> 0;
}

/** Keys a chunk of words holds (2^20): 12 MB of words a chunk. */
const CHUNK_BITS = 20;
const CHUNK_KEYS = 1 << CHUNK_BITS;
/** The 32-bit words of a content key kept (its first 96 of 128 bits: see {@link KeySet}). */
const WORDS = 3;
/** The slots grow (double) once more than this share of them is taken. */
const MAX_LOAD = 0.75;

/**
 * The keys of the rows an import has read, to refuse a row the file already held.
 * Content keys (activities, ratings: 32 hex digits, see db/content-key.ts) are kept as
 * their first three 32-bit words in typed arrays with an open-addressing table over them,
 * where a Set of strings costs about 90 bytes a key and, for a million-row file, made the
 * heap grow by half a gigabyte. The words go in chunks of {@link CHUNK_KEYS} keys that are
 * never copied, and the slots grow at {@link MAX_LOAD}: about 18 bytes a key in all. (Words
 * in one array doubled as they filled, and slots kept at half load, cost 40 bytes a key
 * and 470 MB at once while ten million activities were imported: bench ×10, issue 19.)
 * A content key is an MD5 of what the row says, so two rows are the same when their hashes
 * are; of its 128 bits 96 are kept: for two different rows among ten million to agree on
 * those is a chance of about 6 in 10^16 (n²/2^97), where the fourth word cost 40 MB more.
 * Any other key (names) goes to a Set, exactly.
 */
export class KeySet {
  readonly #chunks: Uint32Array[] = [];
  #slots = new Int32Array(2048).fill(EMPTY);
  #count = 0;
  readonly #other = new Set<string>();

  /** Adds the key; false when it was there already. */
  add(key: string): boolean {
    if (!HEX_KEY.test(key)) {
      if (this.#other.has(key)) return false;
      this.#other.add(key);
      return true;
    }
    const a = hexWord(key, 0);
    const b = hexWord(key, 8);
    const c = hexWord(key, 16);
    if (this.#count + 1 > this.#slots.length * MAX_LOAD) this.#grow();
    const slots = this.#slots;
    const mask = slots.length - 1;
    // The key is a hash already: its first word spreads over the slots as well as any.
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const at = slots[i]!;
      if (at === EMPTY) {
        const n = this.#count++;
        let chunk = this.#chunks[n >>> CHUNK_BITS];
        if (!chunk) this.#chunks.push((chunk = new Uint32Array(WORDS * CHUNK_KEYS)));
        const offset = (n & (CHUNK_KEYS - 1)) * WORDS;
        chunk[offset] = a;
        chunk[offset + 1] = b;
        chunk[offset + 2] = c;
        slots[i] = n;
        return true;
      }
      const words = this.#chunks[at >>> CHUNK_BITS]!;
      const w = (at & (CHUNK_KEYS - 1)) * WORDS;
      if (words[w] === a && words[w + 1] === b && words[w + 2] === c) return false;
    }
  }

  get size(): number {
    return this.#count + this.#other.size;
  }

  /** Twice the slots, every key placed again. */
  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let k = 0; k < this.#count; k++) {
      let i = this.#chunks[k >>> CHUNK_BITS]![(k & (CHUNK_KEYS - 1)) * WORDS]! & mask;
      while (slots[i] !== EMPTY) i = (i + 1) & mask;
      slots[i] = k;
    }
    this.#slots = slots;
  }
}
