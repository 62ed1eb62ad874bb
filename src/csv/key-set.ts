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

/**
 * The keys of the rows an import has read, to refuse a row the file already held.
 * Content keys (activities, ratings: 32 hex digits, see db/content-key.ts) are kept as
 * four 32-bit words in typed arrays with an open-addressing table over them: 24 bytes
 * a key and nothing for the garbage collector to trace, where a Set of strings costs
 * about 90 and, for a million-row file, made the heap grow by half a gigabyte. Exact:
 * a slot match is confirmed on all 128 bits. Any other key (names) goes to a Set.
 */
export class KeySet {
  #words: Uint32Array = new Uint32Array(4 * 1024);
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
    const d = hexWord(key, 24);
    if ((this.#count + 1) * 2 > this.#slots.length) this.#grow();
    const words = this.#words;
    const slots = this.#slots;
    const mask = slots.length - 1;
    // The key is a hash already: its first word spreads over the slots as well as any.
    for (let i = a & mask; ; i = (i + 1) & mask) {
      const at = slots[i]!;
      if (at === EMPTY) {
        if (this.#count * 4 === words.length) this.#words = this.#grownWords();
        const offset = this.#count * 4;
        this.#words[offset] = a;
        this.#words[offset + 1] = b;
        this.#words[offset + 2] = c;
        this.#words[offset + 3] = d;
        slots[i] = this.#count++;
        return true;
      }
      const w = at * 4;
      if (words[w] === a && words[w + 1] === b && words[w + 2] === c && words[w + 3] === d) return false;
    }
  }

  get size(): number {
    return this.#count + this.#other.size;
  }

  #grownWords(): Uint32Array {
    const words = new Uint32Array(this.#words.length * 2);
    words.set(this.#words);
    return words;
  }

  /** Twice the slots, every key placed again. */
  #grow(): void {
    const slots = new Int32Array(this.#slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (let k = 0; k < this.#count; k++) {
      let i = this.#words[k * 4]! & mask;
      while (slots[i] !== EMPTY) i = (i + 1) & mask;
      slots[i] = k;
    }
    this.#slots = slots;
  }
}
