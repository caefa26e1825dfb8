export interface MicroBatchOptions {
  /** A batch runs as soon as it has this many items. */
  maxSize: number;
  /** … or this long after its first item arrived. */
  windowMs: number;
  /**
   * At most this many batches run at once (default: no limit). Items that arrive meanwhile wait, and go together as
   * soon as one ends: under load the batches then grow instead of splitting into many of one or two items each (jobs
   * that finish one at a time are followed by jobs that start one at a time).
   */
  maxInFlight?: number;
}

interface Entry<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers items that arrive close together (the jobs a worker runs at the same time) and handles them
 * with one call, so that a batch shares its database round trips. Each caller waits for the batch that
 * holds its item. When a batch fails, its items are handled again one by one, so that one bad item
 * fails alone and every caller gets its own outcome.
 */
export class MicroBatcher<T> {
  private pending: Entry<T>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = 0;

  constructor(
    private readonly handle: (items: T[]) => Promise<void>,
    private readonly options: MicroBatchOptions,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      // At the limit, the end of a running batch starts the next.
      if (this.running >= (this.options.maxInFlight ?? Infinity)) return;
      if (this.pending.length >= this.options.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending.splice(0, this.options.maxSize);
    if (!batch.length) return;
    this.running += 1;
    void this.run(batch).finally(() => {
      this.running -= 1;
      // Items that waited for a free slot have had their window.
      while (this.pending.length && !this.timer && this.running < (this.options.maxInFlight ?? Infinity)) this.flush();
    });
  }

  private async run(batch: Entry<T>[]): Promise<void> {
    try {
      await this.handle(batch.map((entry) => entry.item));
      for (const entry of batch) entry.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
    }
    await Promise.all(
      batch.map(async (entry) => {
        try {
          await this.handle([entry.item]);
          entry.resolve();
        } catch (error) {
          entry.reject(error);
        }
      }),
    );
  }
}

/**
 * Reads values for keys asked for close together (the jobs a worker starts at the same time) with one
 * call of `load`, which returns the values it found by key. A failed load fails the callers of its batch.
 */
export class BatchLoader<K, V> {
  private pending = new Map<K, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[]>();
  private timer: NodeJS.Timeout | null = null;
  private running = 0;

  constructor(
    private readonly load: (keys: K[]) => Promise<Map<K, V>>,
    private readonly options: MicroBatchOptions,
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise<V | undefined>((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (this.running >= (this.options.maxInFlight ?? Infinity)) return;
      if (this.pending.size >= this.options.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return;
    const batch = new Map([...this.pending].slice(0, this.options.maxSize));
    for (const key of batch.keys()) this.pending.delete(key);
    this.running += 1;
    void this.load([...batch.keys()])
      .then(
        (values) => {
          for (const [key, callers] of batch) for (const caller of callers) caller.resolve(values.get(key));
        },
        (error: unknown) => {
          for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
        },
      )
      .finally(() => {
        this.running -= 1;
        while (this.pending.size && !this.timer && this.running < (this.options.maxInFlight ?? Infinity)) this.flush();
      });
  }
}
