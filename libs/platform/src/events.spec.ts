import type { DiscoveryService } from '@nestjs/core';
import type { DataSource, EntityManager } from 'typeorm';
import { EventBus, OnEvent, OnEventCommitted, OnEvents, type Transaction } from './events.js';
import { Contributes, ExtensionPoint, Extensions } from './extensions.js';

class CaseClosedForTest {
  constructor(
    readonly caseId: string,
    readonly kind = 'case',
  ) {}
}
class SomethingElse {}

const outsideManager = { name: 'outside' } as unknown as EntityManager;
const discoveryOf = (...instances: object[]) =>
  ({
    getProviders: () => instances.map((instance) => ({ instance, isDependencyTreeStatic: () => true })),
  }) as unknown as DiscoveryService;
const busOf = (...instances: object[]) =>
  new EventBus({ manager: outsideManager } as unknown as DataSource, discoveryOf(...instances));

/** A transaction as UnitOfWork gives it: after-commit tasks wait in a list until `commit` (or never: `rollback`). */
function transaction() {
  const tasks: (() => Promise<unknown>)[] = [];
  const manager = { name: 'tx' } as unknown as EntityManager;
  return {
    tx: { manager, afterCommit: (task: () => Promise<unknown>) => void tasks.push(task) } satisfies Transaction,
    commit: async () => {
      for (const task of tasks.splice(0)) await task();
    },
    rollback: () => void tasks.splice(0),
  };
}

describe('EventBus', () => {
  it('runs in-transaction subscribers with the transaction, after-commit ones only after commit', async () => {
    const seen: string[] = [];
    const bus = busOf();
    const { tx, commit } = transaction();
    bus.subscribe(
      CaseClosedForTest,
      (event, given) => void seen.push(`in ${event.caseId} ${given === tx ? 'tx' : '?'}`),
    );
    bus.subscribeAfterCommit(CaseClosedForTest, (event) => void seen.push(`committed ${event.caseId}`));
    await bus.publish(new CaseClosedForTest('c1'), tx);
    expect(seen).toEqual(['in c1 tx']);
    await commit();
    expect(seen).toEqual(['in c1 tx', 'committed c1']);
  });

  it('runs no after-commit subscriber when the transaction rolls back', async () => {
    const seen: string[] = [];
    const bus = busOf();
    bus.subscribeAfterCommit(CaseClosedForTest, () => void seen.push('committed'));
    const { tx, rollback } = transaction();
    await bus.publish(new CaseClosedForTest('c1'), tx);
    rollback();
    expect(seen).toEqual([]);
  });

  it('fails the publish (and so the transaction) when an in-transaction subscriber fails', async () => {
    const bus = busOf();
    bus.subscribe(CaseClosedForTest, () => {
      throw new Error('refused');
    });
    await expect(bus.publish(new CaseClosedForTest('c1'), transaction().tx)).rejects.toThrow('refused');
  });

  it('logs an after-commit subscriber that fails, and runs the next one', async () => {
    const seen: string[] = [];
    const bus = busOf();
    bus.subscribeAfterCommit(CaseClosedForTest, () => {
      throw new Error('mail server down');
    });
    bus.subscribeAfterCommit(CaseClosedForTest, () => void seen.push('second'));
    const { tx, commit } = transaction();
    await bus.publish(new CaseClosedForTest('c1'), tx);
    await expect(commit()).resolves.toBeUndefined();
    expect(seen).toEqual(['second']);
  });

  it('runs subscribers by their order, then in the order they were registered', async () => {
    const seen: string[] = [];
    const bus = busOf();
    bus.subscribe(CaseClosedForTest, () => void seen.push('late'), { order: 10 });
    bus.subscribe(CaseClosedForTest, () => void seen.push('first'));
    bus.subscribe(CaseClosedForTest, () => void seen.push('second'));
    bus.subscribe(CaseClosedForTest, () => void seen.push('early'), { order: -1 });
    await bus.publish(new CaseClosedForTest('c1'), transaction().tx);
    expect(seen).toEqual(['early', 'first', 'second', 'late']);
  });

  it('reaches only the subscribers of the event’s class whose filter accepts it', async () => {
    const seen: string[] = [];
    const bus = busOf();
    bus.subscribe(CaseClosedForTest, (event) => void seen.push(`case ${event.caseId}`), {
      when: (event) => event.kind === 'case',
    });
    bus.subscribe(SomethingElse, () => void seen.push('else'));
    expect(bus.hasSubscribers(new CaseClosedForTest('c1', 'other'))).toBe(false);
    expect(bus.hasSubscribers(new CaseClosedForTest('c2'))).toBe(true);
    await bus.publish(new CaseClosedForTest('c1', 'other'), transaction().tx);
    await bus.publish(new CaseClosedForTest('c2'), transaction().tx);
    expect(seen).toEqual(['case c2']);
  });

  it('outside a transaction, gives the DataSource’s manager and runs after-commit subscribers right after', async () => {
    const seen: unknown[] = [];
    const bus = busOf();
    bus.subscribeAfterCommit(CaseClosedForTest, () => void seen.push('committed'));
    bus.subscribe(CaseClosedForTest, (_event, tx) => void seen.push(tx.manager));
    await bus.publish(new CaseClosedForTest('c1'));
    expect(seen).toEqual([outsideManager, 'committed']);
  });

  it('finds the @OnEvent and @OnEventCommitted methods of the providers, once per instance', async () => {
    const seen: string[] = [];
    class Subscribers {
      constructor(private readonly prefix: string) {}

      @OnEvent(CaseClosedForTest, { order: 1 })
      closed(event: CaseClosedForTest, tx: Transaction) {
        seen.push(`${this.prefix} in ${event.caseId} ${tx.manager === outsideManager ? 'outside' : 'tx'}`);
      }

      @OnEventCommitted(CaseClosedForTest)
      committed(event: CaseClosedForTest, tx?: Transaction) {
        seen.push(`${this.prefix} committed ${event.caseId} ${tx === undefined ? 'without tx' : 'with tx'}`);
      }
    }
    class Earlier {
      @OnEvent(CaseClosedForTest)
      closed() {
        seen.push('earlier');
      }
    }
    const subscribers = new Subscribers('s');
    const bus = busOf(subscribers, subscribers, new Earlier(), { unrelated: true });
    const { tx, commit } = transaction();
    await bus.publish(new CaseClosedForTest('c1'), tx);
    await commit();
    expect(seen).toEqual(['earlier', 's in c1 tx', 's committed c1 without tx']);
    expect(bus.describe()).toEqual([
      { event: 'CaseClosedForTest', phase: 'afterCommit', order: 0, subscriber: 'Subscribers.committed' },
      { event: 'CaseClosedForTest', phase: 'inTransaction', order: 0, subscriber: 'Earlier.closed' },
      { event: 'CaseClosedForTest', phase: 'inTransaction', order: 1, subscriber: 'Subscribers.closed' },
    ]);
  });

  it('publishAll gives an @OnEvents subscriber the events it accepts as one list, the others one by one, in order', async () => {
    const seen: string[] = [];
    class Batched {
      @OnEvents(CaseClosedForTest, { when: (event) => event.kind === 'case', order: 1 })
      closedAll(events: CaseClosedForTest[], tx: Transaction) {
        seen.push(
          `batch ${events.map((event) => event.caseId).join(',')} ${tx.manager === outsideManager ? 'outside' : 'tx'}`,
        );
      }
    }
    class OneByOne {
      @OnEvent(CaseClosedForTest)
      closed(event: CaseClosedForTest) {
        seen.push(`one ${event.caseId}`);
      }

      @OnEventCommitted(CaseClosedForTest)
      committed(event: CaseClosedForTest) {
        seen.push(`committed ${event.caseId}`);
      }
    }
    const bus = busOf(new Batched(), new OneByOne());
    const { tx, commit, rollback } = transaction();
    const events = [new CaseClosedForTest('c1'), new CaseClosedForTest('c2', 'other'), new CaseClosedForTest('c3')];
    await bus.publishAll([...events, new SomethingElse()], tx);
    expect(seen).toEqual(['one c1', 'one c2', 'one c3', 'batch c1,c3 tx']);
    await commit();
    expect(seen.slice(4)).toEqual(['committed c1', 'committed c2', 'committed c3']);

    // A single publish gives the batch subscriber a list of one; a rollback runs no after-commit subscriber.
    seen.length = 0;
    const second = transaction();
    await bus.publish(new CaseClosedForTest('c4'), second.tx);
    second.rollback();
    expect(seen).toEqual(['one c4', 'batch c4 tx']);
    rollback();
  });

  it('publishAll fails when a batch subscriber fails, and runs no later subscriber', async () => {
    const seen: string[] = [];
    class Failing {
      @OnEvents(CaseClosedForTest, { order: 1 })
      closedAll() {
        throw new Error('refused');
      }
    }
    class Later {
      @OnEvent(CaseClosedForTest, { order: 2 })
      closed() {
        seen.push('later');
      }
    }
    const bus = busOf(new Failing(), new Later());
    bus.subscribe(CaseClosedForTest, (event) => void seen.push(`first ${event.caseId}`));
    await expect(
      bus.publishAll([new CaseClosedForTest('c1'), new CaseClosedForTest('c2')], transaction().tx),
    ).rejects.toThrow('refused');
    expect(seen).toEqual(['first c1', 'first c2']);
  });
});

describe('Extensions', () => {
  interface Section {
    key: string;
  }
  const SECTIONS = new ExtensionPoint<Section>('sections');
  const OTHER = new ExtensionPoint<Section>('other');

  it('gives the providers contributing to a point, once each, in the order of the providers', () => {
    @Contributes(SECTIONS)
    class First implements Section {
      key = 'first';
    }
    @Contributes(SECTIONS)
    @Contributes(OTHER)
    class Second implements Section {
      key = 'second';
    }
    const second = new Second();
    const extensions = new Extensions(discoveryOf(new First(), second, second, { key: 'not contributing' }));
    expect(extensions.of(SECTIONS).map((section) => section.key)).toEqual(['first', 'second']);
    expect(extensions.of(OTHER)).toEqual([second]);
    expect(extensions.of(new ExtensionPoint<Section>('nobody'))).toEqual([]);
  });
});
