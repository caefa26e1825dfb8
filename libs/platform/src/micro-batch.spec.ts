import { BatchLoader, MicroBatcher } from './micro-batch.js';

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
