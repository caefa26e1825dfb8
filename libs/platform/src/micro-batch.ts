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
 * When a batch goes, shared by MicroBatcher and BatchLoader: as soon as `maxSize` wait, or `windowMs` after the first
 * arrived, and never more than `maxInFlight` at once (the end of a running batch starts the next).
 */
abstract class BatchWindow<B> {
  private timer: NodeJS.Timeout | null = null;
  private running = 0;

  constructor(private readonly options: MicroBatchOptions) {}

  /** How many items (or keys) wait. */
  protected abstract waiting(): number;
  /** Takes at most `max` of the waiting items out of the queue. */
  protected abstract take(max: number): B;
  /** Handles a batch; settles its callers and never rejects. */
  protected abstract run(batch: B): Promise<void>;

  /** To be called once an item has been queued. */
  protected arrived(): void {
    if (this.running >= (this.options.maxInFlight ?? Infinity)) return;
    if (this.waiting() >= this.options.maxSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.waiting() === 0) return;
    const batch = this.take(this.options.maxSize);
    this.running += 1;
    void this.run(batch).finally(() => {
      this.running -= 1;
      // Items that waited for a free slot have had their window.
      while (this.waiting() && !this.timer && this.running < (this.options.maxInFlight ?? Infinity)) this.flush();
    });
  }
}

/**
 * Gathers items that arrive close together (the jobs a worker runs at the same time) and handles them
 * with one call, so that a batch shares its database round trips. Each caller waits for the batch that
 * holds its item. When a batch fails, its items are handled again one by one, so that one bad item
 * fails alone and every caller gets its own outcome.
 */
export class MicroBatcher<T> extends BatchWindow<Entry<T>[]> {
  private pending: Entry<T>[] = [];

  constructor(
    private readonly handle: (items: T[]) => Promise<void>,
    options: MicroBatchOptions,
  ) {
    super(options);
  }

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.arrived();
    });
  }

  protected waiting(): number {
    return this.pending.length;
  }

  protected take(max: number): Entry<T>[] {
    return this.pending.splice(0, max);
  }

  protected async run(batch: Entry<T>[]): Promise<void> {
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

type Callers<V> = { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[];

/**
 * Reads values for keys asked for close together (the jobs a worker starts at the same time) with one
 * call of `load`, which returns the values it found by key. A failed load fails the callers of its batch.
 */
export class BatchLoader<K, V> extends BatchWindow<Map<K, Callers<V>>> {
  private pending = new Map<K, Callers<V>>();

  constructor(
    private readonly load: (keys: K[]) => Promise<Map<K, V>>,
    options: MicroBatchOptions,
  ) {
    super(options);
  }

  get(key: K): Promise<V | undefined> {
    return new Promise<V | undefined>((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      this.arrived();
    });
  }

  protected waiting(): number {
    return this.pending.size;
  }

  protected take(max: number): Map<K, Callers<V>> {
    const batch = new Map([...this.pending].slice(0, max));
    for (const key of batch.keys()) this.pending.delete(key);
    return batch;
  }

  protected run(batch: Map<K, Callers<V>>): Promise<void> {
    return this.load([...batch.keys()]).then(
      (values) => {
        for (const [key, callers] of batch) for (const caller of callers) caller.resolve(values.get(key));
      },
      (error: unknown) => {
        for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
      },
    );
  }
}

/**
 * Reads of one key asked for while that key's read runs wait and share the next read, which starts once the running
 * one ends: each caller gets a read begun after it asked (never an answer older than its own request), and a key asked
 * for by many callers at once is read about once per read's duration instead of once per caller. `load` runs in the
 * async context (AsyncLocalStorage) of the caller who asked first for that read.
 */
export class JoinedReads<K, V> {
  private readonly running = new Map<K, Promise<V>>();
  private readonly next = new Map<K, Promise<V>>();

  constructor(private readonly load: (key: K) => Promise<V>) {}

  read(key: K): Promise<V> {
    const waiting = this.next.get(key);
    if (waiting) return waiting;
    const running = this.running.get(key);
    const read: Promise<V> = (running ? running.then(ignore, ignore) : Promise.resolve()).then(() => {
      this.next.delete(key);
      this.running.set(key, read);
      return this.load(key);
    });
    this.next.set(key, read);
    const ended = () => {
      if (this.running.get(key) === read) this.running.delete(key);
    };
    read.then(ended, ended);
    return read;
  }
}

const ignore = (): void => undefined;
