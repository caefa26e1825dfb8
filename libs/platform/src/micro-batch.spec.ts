import { AsyncLocalStorage } from 'node:async_hooks';
import { BatchLoader, JoinedReads, MicroBatcher } from './micro-batch.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('MicroBatcher', () => {
  it('handles items that arrive within the window together, and a full batch at once', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number>(async (items) => void batches.push(items), { maxSize: 3, windowMs: 20 });
    const first = [1, 2, 3, 4].map((n) => batcher.add(n));
    await tick();
    expect(batches).toEqual([[1, 2, 3]]);
    await Promise.all(first);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('with maxInFlight, gathers the items that arrive while batches run into the next one, up to maxSize each', async () => {
    const batches: number[][] = [];
    const ends: (() => void)[] = [];
    const batcher = new MicroBatcher<number>(
      (items) => {
        batches.push(items);
        return new Promise<void>((resolve) => ends.push(resolve));
      },
      { maxSize: 3, windowMs: 1, maxInFlight: 1 },
    );
    const added = [batcher.add(1)];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([[1]]);
    // Arriving one at a time while the first batch runs: no batch of their own, however long they wait.
    for (const n of [2, 3, 4, 5]) {
      added.push(batcher.add(n));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(batches).toEqual([[1]]);
    ends[0]();
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    ends[1]();
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4], [5]]);
    ends[2]();
    await Promise.all(added);
  });

  it('without maxInFlight, starts a batch per window however many run', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number>(
      (items) => {
        batches.push(items);
        return new Promise<void>(() => undefined);
      },
      { maxSize: 3, windowMs: 1 },
    );
    for (const n of [1, 2, 3]) {
      void batcher.add(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(batches).toEqual([[1], [2], [3]]);
  });

  it('runs the items of a failed batch one by one, so only the bad one fails', async () => {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number>(
      async (items) => {
        calls.push(items);
        if (items.includes(2)) throw new Error(`item 2 is bad`);
      },
      { maxSize: 10, windowMs: 5 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => batcher.add(n)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(new Error('item 2 is bad'));
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('gives a batch of one its own error without running it again', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<string>(
      async () => {
        calls++;
        throw new Error('down');
      },
      { maxSize: 10, windowMs: 1 },
    );
    await expect(batcher.add('a')).rejects.toThrow('down');
    expect(calls).toBe(1);
  });
});

describe('BatchLoader', () => {
  it('loads the keys asked for together with one call, and gives each caller its value', async () => {
    const loads: string[][] = [];
    const loader = new BatchLoader<string, number>(
      async (keys) => {
        loads.push(keys);
        return new Map(keys.filter((key) => key !== 'missing').map((key) => [key, key.length]));
      },
      { maxSize: 10, windowMs: 5 },
    );
    const values = await Promise.all(['a', 'bb', 'a', 'missing'].map((key) => loader.get(key)));
    expect(values).toEqual([1, 2, 1, undefined]);
    expect(loads).toEqual([['a', 'bb', 'missing']]);
  });

  it('with maxInFlight, loads the keys asked for while a load runs together once it ends', async () => {
    const loads: string[][] = [];
    const ends: (() => void)[] = [];
    const loader = new BatchLoader<string, string>(
      (keys) => {
        loads.push(keys);
        return new Promise((resolve) => ends.push(() => resolve(new Map(keys.map((key) => [key, key])))));
      },
      { maxSize: 10, windowMs: 1, maxInFlight: 1 },
    );
    const first = loader.get('a');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = ['b', 'c'].map((key) => loader.get(key));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(loads).toEqual([['a']]);
    ends[0]();
    await expect(first).resolves.toBe('a');
    await tick();
    expect(loads).toEqual([['a'], ['b', 'c']]);
    ends[1]();
    await expect(Promise.all(later)).resolves.toEqual(['b', 'c']);
  });

  it('fails every caller of a batch whose load failed, and loads again afterwards', async () => {
    let fail = true;
    const loader = new BatchLoader<string, string>(
      async (keys) => {
        if (fail) throw new Error('database down');
        return new Map(keys.map((key) => [key, key.toUpperCase()]));
      },
      { maxSize: 10, windowMs: 1 },
    );
    await expect(Promise.all([loader.get('x'), loader.get('y')])).rejects.toThrow('database down');
    fail = false;
    await expect(loader.get('x')).resolves.toBe('X');
  });
});

describe('JoinedReads', () => {
  /** A load whose reads end when the test says, each answering with its key and its number. */
  const controlledLoad = () => {
    const reads: { key: string; end: () => void; fail: (error: Error) => void }[] = [];
    const load = (key: string) =>
      new Promise<string>((resolve, reject) => {
        const number = reads.length + 1;
        reads.push({ key, end: () => resolve(`${key}#${number}`), fail: reject });
      });
    return { reads, joined: new JoinedReads<string, string>(load) };
  };

  it('gives callers who ask at once one read', async () => {
    const { reads, joined } = controlledLoad();
    const answers = Promise.all([joined.read('a'), joined.read('a'), joined.read('a')]);
    await tick();
    expect(reads.map((read) => read.key)).toEqual(['a']);
    reads[0].end();
    expect(await answers).toEqual(['a#1', 'a#1', 'a#1']);
  });

  it('never answers a caller with a read begun before it asked: those who ask meanwhile share the next', async () => {
    const { reads, joined } = controlledLoad();
    const first = joined.read('a');
    await tick();
    const later = [joined.read('a'), joined.read('a')];
    await tick();
    expect(reads).toHaveLength(1);
    reads[0].end();
    expect(await first).toBe('a#1');
    await tick();
    expect(reads).toHaveLength(2);
    reads[1].end();
    expect(await Promise.all(later)).toEqual(['a#2', 'a#2']);
    // Nothing running any more: the next caller starts a read of its own at once.
    const again = joined.read('a');
    await tick();
    reads[2].end();
    expect(await again).toBe('a#3');
  });

  it('runs each read in the async context of the caller who asked for it first', async () => {
    const caller = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    let end = () => {};
    const joined = new JoinedReads<string, string>(async (key) => {
      seen.push(caller.getStore());
      await new Promise<void>((resolve) => (end = resolve));
      return key;
    });
    const first = caller.run('first', () => joined.read('a'));
    const second = caller.run('second', () => joined.read('a'));
    await tick();
    const third = caller.run('third', () => joined.read('a'));
    end();
    await Promise.all([first, second]);
    await tick();
    end();
    await third;
    expect(seen).toEqual(['first', 'third']);
  });

  it('reads different keys side by side', async () => {
    const { reads, joined } = controlledLoad();
    const answers = Promise.all([joined.read('a'), joined.read('b')]);
    await tick();
    expect(reads.map((read) => read.key)).toEqual(['a', 'b']);
    reads[1].end();
    reads[0].end();
    expect(await answers).toEqual(['a#1', 'b#2']);
  });

  it('fails the callers of a failed read only; the callers waiting behind it get a read of their own', async () => {
    const { reads, joined } = controlledLoad();
    const first = joined.read('a');
    await tick();
    const later = joined.read('a');
    reads[0].fail(new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await tick();
    reads[1].end();
    expect(await later).toBe('a#2');
  });
});
