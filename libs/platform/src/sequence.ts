/**
 * Maps items one after another. A transaction is one PostgreSQL connection, which runs one query at a time:
 * queries issued together through a transaction's manager must go in turn (pg 8 queues them with a deprecation
 * warning, pg 9 refuses them).
 */
export async function mapInSequence<T, R>(items: readonly T[], map: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await map(item));
  return results;
}
