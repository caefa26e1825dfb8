import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { entityFromRow } from './prepared-query.js';

@Entity({ name: 'probes' })
class Probe {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'seen_at', type: 'timestamptz' })
  seenAt!: Date;

  @Column({ type: 'simple-json' })
  details!: { n: number };

  @Column({ name: 'hidden_text', type: 'text', select: false })
  hiddenText?: string;
}

describe('entityFromRow', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', entities: [Probe] });
    // The entities' metadata, without connecting.
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  });

  it("makes an entity of one alias's columns, each converted as TypeORM would, leaving out those not read", () => {
    const seenAt = new Date('2026-01-02T03:04:05Z');
    const row = { probe_id: 'a', probe_seen_at: seenAt, probe_details: '{"n":1}', other_id: 'b' };
    const probe = entityFromRow(dataSource, Probe, 'probe', row);
    expect(probe).toBeInstanceOf(Probe);
    expect(probe).toEqual(Object.assign(new Probe(), { id: 'a', seenAt, details: { n: 1 } }));
    expect('hiddenText' in probe).toBe(false);
  });

  it('reads two aliases of one entity from one row apart', () => {
    const row = {
      first_id: 'a',
      first_seen_at: new Date(0),
      first_details: '{"n":1}',
      second_id: 'b',
      second_seen_at: new Date(1),
      second_details: '{"n":2}',
    };
    expect(entityFromRow(dataSource, Probe, 'first', row)).toMatchObject({ id: 'a', details: { n: 1 } });
    expect(entityFromRow(dataSource, Probe, 'second', row)).toMatchObject({ id: 'b', details: { n: 2 } });
    expect(entityFromRow(dataSource, Probe, 'first', { first_id: 'c' })).toEqual(
      Object.assign(new Probe(), { id: 'c' }),
    );
  });
});
