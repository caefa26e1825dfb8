import { RequestContext, type Actor } from './request-context.js';

const actor: Actor = { userId: 'u1', authorityId: 'a1', role: 'officer', label: 'Officer' };

describe('reads made once per context', () => {
  const counter = () => {
    const loads: string[] = [];
    const read = (key: string) =>
      RequestContext.readOnce(key, async () => {
        loads.push(key);
        return { key };
      });
    return { loads, read };
  };

  it('reads every time in a context that does not share its reads', async () => {
    const { loads, read } = counter();
    await RequestContext.run(async () => {
      await read('authority:a1');
      await read('authority:a1');
    }, actor);
    expect(loads).toEqual(['authority:a1', 'authority:a1']);
  });

  it('reads each key once in a context that shares its reads, also acting for another authority inside it', async () => {
    const { loads, read } = counter();
    const answers = await RequestContext.run(
      async () => {
        const first = await read('authority:a1');
        const again = await Promise.all([read('authority:a1'), read('template:a1:ai-inquiry')]);
        const inside = await RequestContext.actingFor('a2', () => read('authority:a1'));
        const asSystem = await RequestContext.asAuthority('a1', () => read('template:a1:ai-inquiry'));
        return { first, again, inside, asSystem };
      },
      actor,
      { readOnce: true },
    );
    expect(loads).toEqual(['authority:a1', 'template:a1:ai-inquiry']);
    expect(answers.again[0]).toBe(answers.first);
    expect(answers.inside).toBe(answers.first);
    expect(answers.asSystem).toBe(answers.again[1]);
  });

  it('keeps no answer from one context for the next, and reads again after a failed read', async () => {
    const { loads, read } = counter();
    await RequestContext.run(() => read('authority:a1'), actor, { readOnce: true });
    await RequestContext.run(() => read('authority:a1'), actor, { readOnce: true });
    expect(loads).toEqual(['authority:a1', 'authority:a1']);

    let attempts = 0;
    const flaky = () =>
      RequestContext.readOnce('flaky', async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('connection lost');
        return attempts;
      });
    await RequestContext.run(
      async () => {
        await expect(flaky()).rejects.toThrow('connection lost');
        expect(await flaky()).toBe(2);
        expect(await flaky()).toBe(2);
      },
      actor,
      { readOnce: true },
    );
  });

  it('shares between contexts run with one scope the keys it shares, and only those', async () => {
    const { loads, read } = counter();
    const scope = RequestContext.readScope((key) => key.startsWith('authority:'));
    const job = (organisation: string) =>
      RequestContext.run(
        async () => {
          await read('authority:a1');
          await read(`organisation:${organisation}`);
          await read(`organisation:${organisation}`);
          return RequestContext.sharedReads()?.entries.map(([key]) => key);
        },
        actor,
        { scope },
      );
    const [first, second] = await Promise.all([job('o1'), job('o2')]);
    expect(loads).toEqual(['authority:a1', 'organisation:o1', 'organisation:o2']);
    // What a job passes on to the batch writing its letter holds the shared reads and its own.
    expect(first).toEqual(['authority:a1', 'organisation:o1']);
    expect(second).toEqual(['authority:a1', 'organisation:o2']);
    // A key the scope does not share is read again by the next context with it (an organisation's retry).
    await job('o1');
    expect(loads).toEqual(['authority:a1', 'organisation:o1', 'organisation:o2', 'organisation:o1']);
  });
});
