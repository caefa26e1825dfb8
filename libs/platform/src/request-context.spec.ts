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
});
