import { Injectable, Logger, type OnModuleInit, type Type } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DataSource, type EntityManager } from 'typeorm';
import { providerInstances } from './extensions.js';
import type { AfterCommit } from './unit-of-work.js';

/**
 * The one event bus of the process. A context that has something to tell declares the event as a class (its
 * fields are what happened) and publishes an instance; the contexts that care declare subscribers to that class, with
 * `@OnEvent` / `@OnEventCommitted` on a method of one of their providers (found when the application starts) or with
 * `subscribe` / `subscribeAfterCommit`. The publisher does not know its subscribers, and nothing is keyed by a
 * string: the event class is the key, its fields the contract.
 *
 * Published in a transaction (`publish(event, { manager, afterCommit })`):
 * - in-transaction subscribers run at once, one after the other, with that transaction's EntityManager; a failure
 *   fails the publish and so rolls the transaction back;
 * - after-commit subscribers are queued on the transaction's `afterCommit`: they run once it committed, never when it
 *   rolled back; a failure is logged (what committed stays; reconciliation puts back what they would have done).
 * Published outside a transaction (`publish(event)`) every statement commits on its own: in-transaction subscribers
 * get the DataSource's manager, and after-commit subscribers run right after them.
 *
 * Order: subscribers run by their `order` (lower first, 0 by default), then in the order they were registered.
 * Give an order wherever one subscriber must see what another did; do not count on module order.
 */

/** The transaction an event is published in: its EntityManager and where work waits for its commit. */
export interface Transaction {
  manager: EntityManager;
  afterCommit: AfterCommit;
}

export type InTransactionHandler<E> = (event: E, tx: Transaction) => unknown;
export type BatchHandler<E> = (events: E[], tx: Transaction) => unknown;
export type AfterCommitHandler<E> = (event: E) => unknown;

export interface SubscriberOptions<E> {
  /** Lower runs first; subscribers of equal order run in the order they were registered. 0 by default. */
  order?: number;
  /** Only the events it accepts reach the subscriber (one kind of message, say). */
  when?: (event: E) => boolean;
}

export type EventPhase = 'inTransaction' | 'afterCommit';

interface Subscriber {
  phase: EventPhase;
  /** Takes the events of one `publishAll` as one list (`@OnEvents`); a single `publish` gives it a list of one. */
  batch: boolean;
  order: number;
  seq: number;
  name: string;
  when?: (event: never) => boolean;
  handle: (event: unknown, tx: Transaction) => unknown;
}

interface Declared {
  event: Type<unknown>;
  phase: EventPhase;
  batch?: boolean;
  method: string | symbol;
  options: SubscriberOptions<never>;
}

/** The subscriptions declared with @OnEvent / @OnEventCommitted, by the class that declares them. */
const declared = new WeakMap<object, Declared[]>();

function declare(target: object, entry: Declared): void {
  const owner = target.constructor;
  declared.set(owner, [...(declared.get(owner) ?? []), entry]);
}

/** The subscriptions a class and its ancestors declare. */
function declaredOn(type: unknown): Declared[] {
  const out: Declared[] = [];
  for (let current = type; typeof current === 'function'; current = Object.getPrototypeOf(current) as unknown)
    out.unshift(...(declared.get(current) ?? []));
  return out;
}

/**
 * The method runs in the publisher's transaction, with its EntityManager (`tx.manager`) and `tx.afterCommit` for work
 * of its own that must wait for the commit.
 */
export function OnEvent<E>(event: Type<E>, options: SubscriberOptions<E> = {}) {
  return <H extends InTransactionHandler<E>>(
    target: object,
    method: string | symbol,
    _descriptor: TypedPropertyDescriptor<H>,
  ) => declare(target, { event, phase: 'inTransaction', method, options: options as SubscriberOptions<never> });
}

/**
 * `OnEvent` for a method that takes a list: the events of one `publishAll` that reach it arrive together (one
 * statement for a batch of letters sent), in the publisher's transaction; a `publish` of one event gives a list of one.
 */
export function OnEvents<E>(event: Type<E>, options: SubscriberOptions<E> = {}) {
  return <H extends BatchHandler<E>>(
    target: object,
    method: string | symbol,
    _descriptor: TypedPropertyDescriptor<H>,
  ) =>
    declare(target, {
      event,
      phase: 'inTransaction',
      batch: true,
      method,
      options: options as SubscriberOptions<never>,
    });
}

/** The method runs once the publisher's transaction committed (never when it rolled back); a failure is logged. */
export function OnEventCommitted<E>(event: Type<E>, options: SubscriberOptions<E> = {}) {
  return <H extends AfterCommitHandler<E>>(
    target: object,
    method: string | symbol,
    _descriptor: TypedPropertyDescriptor<H>,
  ) => declare(target, { event, phase: 'afterCommit', method, options: options as SubscriberOptions<never> });
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

@Injectable()
export class EventBus implements OnModuleInit {
  private readonly logger = new Logger(EventBus.name);
  private readonly subscribers = new Map<Type<unknown>, Subscriber[]>();
  private seq = 0;
  private discovered = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
  ) {}

  /** Registers the @OnEvent / @OnEventCommitted methods of every provider of the application, once. */
  onModuleInit(): void {
    if (this.discovered) return;
    this.discovered = true;
    for (const provider of providerInstances(this.discovery)) {
      const instance = provider as Record<string | symbol, unknown>;
      for (const entry of declaredOn(instance.constructor)) {
        const method = instance[entry.method];
        if (typeof method !== 'function') continue;
        const name = `${instance.constructor.name}.${String(entry.method)}`;
        const call = method as (event: unknown, tx?: Transaction) => unknown;
        this.add(
          entry.event,
          entry.phase,
          name,
          entry.options,
          (event, tx) =>
            entry.phase === 'inTransaction' ? call.call(instance, event, tx) : call.call(instance, event),
          entry.batch ?? false,
        );
      }
    }
  }

  /** `handler` runs in the publisher's transaction (see OnEvent). */
  subscribe<E>(event: Type<E>, handler: InTransactionHandler<E>, options: SubscriberOptions<E> = {}): void {
    this.add(event, 'inTransaction', handler.name || 'handler', options, handler as Subscriber['handle']);
  }

  /** `handler` runs once the publisher's transaction committed (see OnEventCommitted). */
  subscribeAfterCommit<E>(event: Type<E>, handler: AfterCommitHandler<E>, options: SubscriberOptions<E> = {}): void {
    this.add(event, 'afterCommit', handler.name || 'handler', options, (value) => handler(value as E));
  }

  /**
   * Whether publishing `event` would reach any subscriber: a publisher may then skip work done only for them (the
   * mail worker records a sent message without a transaction of its own when nobody listens for it).
   */
  hasSubscribers(event: object): boolean {
    return this.reached(event).length > 0;
  }

  /**
   * Tells the subscribers of the event's class: see the class comment for what runs when. Resolves once the
   * in-transaction subscribers are done (and, outside a transaction, the after-commit ones too).
   */
  async publish(event: object, tx?: Transaction): Promise<void> {
    this.onModuleInit();
    const reached = this.reached(event);
    if (!reached.length) return;
    const later: (() => Promise<unknown>)[] = [];
    const transaction: Transaction = tx ?? {
      manager: this.dataSource.manager,
      afterCommit: (task) => later.push(task),
    };
    for (const subscriber of reached) {
      if (subscriber.phase === 'inTransaction')
        await subscriber.handle(subscriber.batch ? [event] : event, transaction);
      else transaction.afterCommit(() => this.afterCommit(subscriber, event, transaction));
    }
    for (const task of later) await task();
  }

  /**
   * `publish` of several events at once (the letters of a batch recorded sent), with the same phases. Each subscriber
   * in its order takes all the events that reach it before the next subscriber runs: an `@OnEvents` subscriber as one
   * list, the others one event after the other (their after-commit runs too, in that order).
   */
  async publishAll(events: object[], tx?: Transaction): Promise<void> {
    this.onModuleInit();
    const reaching = new Map<Subscriber, object[]>();
    for (const event of events)
      for (const subscriber of this.reached(event))
        reaching.set(subscriber, [...(reaching.get(subscriber) ?? []), event]);
    if (!reaching.size) return;
    const later: (() => Promise<unknown>)[] = [];
    const transaction: Transaction = tx ?? {
      manager: this.dataSource.manager,
      afterCommit: (task) => later.push(task),
    };
    const inOrder = [...reaching].sort(([a], [b]) => a.order - b.order || a.seq - b.seq);
    for (const [subscriber, reached] of inOrder) {
      if (subscriber.phase === 'inTransaction') {
        if (subscriber.batch) await subscriber.handle(reached, transaction);
        else for (const event of reached) await subscriber.handle(event, transaction);
      } else
        for (const event of reached) transaction.afterCommit(() => this.afterCommit(subscriber, event, transaction));
    }
    for (const task of later) await task();
  }

  /** An after-commit subscriber's run: what committed stays, so its failure is logged, not thrown. */
  private async afterCommit(subscriber: Subscriber, event: object, tx: Transaction): Promise<void> {
    try {
      await subscriber.handle(event, tx);
    } catch (error) {
      this.logger.error(`${subscriber.name}, after ${event.constructor.name} committed, failed: ${errorText(error)}`);
    }
  }

  /** The subscribers an event reaches, in the order they run. */
  private reached(event: object): Subscriber[] {
    const all = this.subscribers.get(event.constructor as Type<unknown>) ?? [];
    return all.filter((subscriber) => !subscriber.when || subscriber.when(event as never));
  }

  private add(
    event: Type<unknown>,
    phase: EventPhase,
    name: string,
    options: SubscriberOptions<never>,
    handle: Subscriber['handle'],
    batch = false,
  ): void {
    const list = [
      ...(this.subscribers.get(event) ?? []),
      { phase, batch, order: options.order ?? 0, seq: this.seq++, name, when: options.when, handle },
    ];
    list.sort((a, b) => a.order - b.order || a.seq - b.seq);
    this.subscribers.set(event, list);
  }

  /** Who listens to what, in order (for the start-up log at debug level and for tests). */
  describe(): { event: string; phase: EventPhase; order: number; subscriber: string }[] {
    this.onModuleInit();
    return [...this.subscribers].flatMap(([event, list]) =>
      list.map((subscriber) => ({
        event: event.name,
        phase: subscriber.phase,
        order: subscriber.order,
        subscriber: subscriber.name,
      })),
    );
  }
}
