import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/**
 * A question a context asks of the contexts that build on it, when it cannot import them (they import it): the cases
 * context asks "what does your part of the case file hold, and how do your audit actions read on the timeline?".
 * That is a query, not an event: it answers something, every time it is asked, and nothing happened. The asking
 * context declares the point with the interface the answers implement; each answering context declares a provider
 * class implementing it, marked `@Contributes(POINT)`; `Extensions.of(POINT)` gives their instances (typed; in the
 * order the application's modules list them). Nothing is registered at module init, and nothing is keyed by a string.
 */
export class ExtensionPoint<T> {
  /** Only for the type: the interface the contributions implement. */
  declare readonly contribution?: T;

  constructor(readonly name: string) {}
}

const contributions = new WeakMap<object, ExtensionPoint<unknown>[]>();

/** The class (a provider of its module) implements the point's interface and answers it. */
export function Contributes<T>(point: ExtensionPoint<T>) {
  return (target: abstract new (...args: never[]) => T): void => {
    contributions.set(target, [...(contributions.get(target) ?? []), point as ExtensionPoint<unknown>]);
  };
}

@Injectable()
export class Extensions {
  private found: Map<ExtensionPoint<unknown>, unknown[]> | null = null;

  constructor(private readonly discovery: DiscoveryService) {}

  /** The contributions to `point` of every provider of the application. */
  of<T>(point: ExtensionPoint<T>): T[] {
    this.found ??= this.discover();
    return (this.found.get(point as ExtensionPoint<unknown>) ?? []) as T[];
  }

  /** The one contribution to `point`; throws naming the point when there is none or more than one. */
  one<T>(point: ExtensionPoint<T>): T {
    const found = this.of(point);
    if (found.length !== 1)
      throw new Error(`${point.name}: expected one contribution (@Contributes), found ${found.length}`);
    return found[0]!;
  }

  private discover(): Map<ExtensionPoint<unknown>, unknown[]> {
    const found = new Map<ExtensionPoint<unknown>, unknown[]>();
    for (const instance of providerInstances(this.discovery))
      for (const point of contributions.get(instance.constructor) ?? [])
        found.set(point, [...(found.get(point) ?? []), instance]);
    return found;
  }
}

/**
 * The instances of the application's providers, each once: a provider aliased under a second token (useExisting) is
 * the same instance, and request-scoped providers have none yet. What the event bus and the extension points read
 * their declarations from.
 */
export function providerInstances(discovery: DiscoveryService): object[] {
  const seen = new Set<object>();
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as object | null | undefined;
    if (instance && typeof instance === 'object' && wrapper.isDependencyTreeStatic()) seen.add(instance);
  }
  return [...seen];
}
