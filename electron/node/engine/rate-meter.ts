/** Counts events into one-second buckets and reports the rate over the last few whole seconds. */
export class RateMeter {
  private readonly buckets: number[];
  private currentSecond = 0;

  constructor(
    private readonly windowSeconds = 3,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new Array<number>(windowSeconds + 1).fill(0);
  }

  private roll(): number {
    const second = Math.floor(this.now() / 1000);
    if (second !== this.currentSecond) {
      const gap = Math.min(second - this.currentSecond, this.buckets.length);
      for (let i = 1; i <= gap; i++) this.buckets[(this.currentSecond + i) % this.buckets.length] = 0;
      this.currentSecond = second;
    }
    return second % this.buckets.length;
  }

  add(n: number): void {
    const i = this.roll();
    this.buckets[i] = (this.buckets[i] ?? 0) + n;
  }

  /** Events per second over the last `windowSeconds` complete seconds. */
  perSecond(): number {
    const current = this.roll();
    let sum = 0;
    for (let i = 0; i < this.buckets.length; i++) if (i !== current) sum += this.buckets[i] ?? 0;
    return sum / this.windowSeconds;
  }
}
