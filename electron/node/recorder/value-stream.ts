/**
 * Statement parameters as typed arrays: a tag per value, numbers in a Float64Array, strings in a
 * plain array. Crossing to the writer thread, the two buffers are transferred rather than copied
 * and no per-value serialization happens, which halves what recording costs the writer thread
 * against cloning ordinary arrays of parameters.
 */
export const TAG_NULL = 0;
export const TAG_NUMBER = 1;
export const TAG_STRING = 2;
/** A key interned by the builder: the number is its index in the writer's key table. */
export const TAG_KEY = 3;
/** A frame's position in its batch: the writer adds the id the batch's first frame gets. */
export const TAG_FRAME = 4;

export interface EncodedValues {
  tags: Uint8Array<ArrayBuffer>;
  nums: Float64Array<ArrayBuffer>;
  strs: string[];
}

export class ValueStream {
  private tags: Uint8Array<ArrayBuffer> = new Uint8Array(1 << 14);
  private nums: Float64Array<ArrayBuffer> = new Float64Array(1 << 13);
  private strs: string[] = [];
  private nTags = 0;
  private nNums = 0;

  /** A number, string, boolean or null as SQLite stores it (booleans as 0/1). */
  value(v: unknown): void {
    if (typeof v === 'number') this.number(TAG_NUMBER, v);
    else if (typeof v === 'string') {
      this.tag(TAG_STRING);
      this.strs.push(v);
    } else if (typeof v === 'boolean') this.number(TAG_NUMBER, v ? 1 : 0);
    else this.tag(TAG_NULL);
  }

  key(id: number): void {
    this.number(TAG_KEY, id);
  }

  frame(position: number): void {
    this.number(TAG_FRAME, position);
  }

  take(): EncodedValues {
    const out = { tags: this.tags.slice(0, this.nTags), nums: this.nums.slice(0, this.nNums), strs: this.strs };
    this.nTags = 0;
    this.nNums = 0;
    this.strs = [];
    return out;
  }

  private tag(t: number): void {
    if (this.nTags === this.tags.length) {
      const grown = new Uint8Array(this.tags.length * 2);
      grown.set(this.tags);
      this.tags = grown;
    }
    this.tags[this.nTags++] = t;
  }

  private number(t: number, v: number): void {
    this.tag(t);
    if (this.nNums === this.nums.length) {
      const grown = new Float64Array(this.nums.length * 2);
      grown.set(this.nums);
      this.nums = grown;
    }
    this.nums[this.nNums++] = v;
  }
}
