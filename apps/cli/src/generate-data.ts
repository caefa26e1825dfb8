import type { DataSource, EntityManager } from 'typeorm';
import { UnitOfWork } from '#docket/platform';
import { FOLD_SQL, REBUILD_SQL } from '#docket/reporting';

export interface GenerateOptions {
  authority: string;
  cases: number;
  deadlinesPerCase: number;
  organisations: number;
  officers: number;
  /** Notes per case with generated text (words of a regulator's file, a rare word, some Korean), for search. */
  notesPerCase?: number;
  /**
   * Texts per case for search, of the same generated words: each case's letter (when one was sent) and a reply by
   * e-mail to it (when the case is past awaiting a response) count, notes make up the rest.
   */
  textsPerCase?: number;
  /**
   * Leave the derived-data triggers on (the dashboard counters, cases.next_due_at), so the rows are counted as any
   * write is: hours at a million cases; for checking the backfill against the triggers on small data sets.
   */
  keepTriggers?: boolean;
}

/** In one note in SEARCH_RARE_EVERY; a Korean phrase in one note in 33. */
export const SEARCH_RARE_WORD = 'ornitorinco';
export const SEARCH_COMMON_WORD = 'dati';
export const SEARCH_KOREAN_PHRASE = '처리방침';
const SEARCH_RARE_EVERY = 20000;
const NOTE_WORDS = [
  'dati',
  'personali',
  'trattamento',
  'conservazione',
  'titolare',
  'responsabile',
  'informativa',
  'consenso',
  'minori',
  'modello',
  'addestramento',
  'chatbot',
  'richiesta',
  'risposta',
  'termine',
  'proroga',
  'garante',
  'istruttoria',
  'sanzione',
  'misure',
  'sicurezza',
  'violazione',
  'utenti',
  'servizio',
  'applicazione',
  'trasferimento',
  'paesi',
  'terzi',
  'base',
  'giuridica',
  'legittimo',
  'interesse',
  'cancellazione',
  'accesso',
  'rettifica',
  'opposizione',
  'profilazione',
  'valutazione',
  'impatto',
  'registro',
  'attività',
  'fornitore',
  'documentazione',
  'allegato',
  'verifica',
  'ispezione',
  'audizione',
  'memoria',
  'difensiva',
  'provvedimento',
  'limitazione',
  'provvisoria',
  'urgente',
  'cooperazione',
  'autorità',
  'capofila',
  'reclamo',
  'segnalazione',
  'retention',
  'prompts',
];

export const GENERATE_USAGE = `  generate-data --authority CODE --cases N [--deadlines-per-case 3] [--organisations 2000] [--officers 25] [--notes-per-case 0] [--texts-per-case 0]
                                  BENCHMARK DATA ONLY: fills the database with N cases, their inquiries,
                                  deadlines, responses and outcomes by set-based SQL (INSERT … SELECT
                                  generate_series), bypassing the services, the audit trail and the queue.
                                  Creates the authority (Italian calendar) when it does not exist. --notes-per-case
                                  adds notes of generated Italian text; --texts-per-case N gives each case N texts
                                  (its letter and a reply to it where there are, notes for the rest). The search
                                  documents of the generated rows are written set-based, as the triggers would;
                                  so are the dashboard counters and each case's next due instant.
                                  Never run it against a database with real cases.`;

const DAY = `interval '1 day'`;

/**
 * Bench data for the dashboard and the deadline list, generated in PostgreSQL itself. The shape follows a
 * regulator's history over eight years: old cases are nearly all closed with settled deadlines, the last
 * year's are spread over the statuses, and open cases have pending deadlines over the next four months,
 * some missed and a few suspended. The triggers that derive data per statement (search documents, dashboard
 * counters, cases.next_due_at) are off for the load; what they would have written is written once at the end, by
 * their own functions (backfillDerived).
 */
export async function generateData(
  dataSource: DataSource,
  options: GenerateOptions,
  out: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  const step = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const result = await work();
    out(`  ${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return result;
  };

  const texts = options.textsPerCase ?? 0;
  await new UnitOfWork(dataSource).run(async (manager) => {
    await manager.query(`SET LOCAL synchronous_commit = off`);
    await manager.query(`SET LOCAL maintenance_work_mem = '512MB'`);
    // The search triggers index row by row; the documents are written at the end in one statement per kind.
    await switchTriggers(manager, SEARCH_TRIGGERS, 'DISABLE');
    if (!options.keepTriggers) await switchTriggers(manager, DERIVED_TRIGGERS, 'DISABLE');
    // The foreign keys are checked by a trigger per row as well (three or four index probes per deadline). The rows
    // reference each other by construction; a superuser loads them as a replica would, without those checks.
    const [{ rolsuper: superuser }] = (await manager.query(
      `SELECT rolsuper FROM pg_roles WHERE rolname = current_user`,
    )) as { rolsuper: boolean }[];
    if (superuser && !options.keepTriggers) await manager.query(`SET LOCAL session_replication_role = replica`);
    const authority = await step('authority', () => ensureAuthority(manager, options.authority));
    const { id: authorityId, code, timezone } = authority;

    await step(`users: 1 manager, ${options.officers} officers`, async () => {
      await manager.query(
        `INSERT INTO users (authority_id, email, name, role, password_hash, active)
         SELECT $1, 'gen-' || CASE WHEN g = 0 THEN 'manager' ELSE 'officer-' || g END || '@' || lower($2) || '.generated',
                $2 || CASE WHEN g = 0 THEN ' generated manager' ELSE ' generated officer ' || g END, CASE WHEN g = 0 THEN 'manager' ELSE 'officer' END, '!', true
         FROM generate_series(0, $3) g ON CONFLICT (email) DO NOTHING`,
        [authorityId, code, options.officers],
      );
      await manager.query(
        `CREATE TEMP TABLE gen_officers ON COMMIT DROP AS SELECT id, (row_number() OVER (ORDER BY email) - 1)::int AS n FROM users WHERE authority_id = $1 AND role = 'officer' AND email LIKE 'gen-officer-%'`,
        [authorityId],
      );
    });
    const officers = Number((await manager.query(`SELECT count(*) AS n FROM gen_officers`))[0].n);

    await step(`organisations: ${options.organisations}`, async () => {
      await manager.query(
        `INSERT INTO organisations (legal_name, trading_names, country, website, legal_entities, products, search_text, version, created_at, updated_at)
         SELECT 'Generated provider ' || $1 || ' ' || g, '{}', 'CN', NULL, '[]', '[]', lower('Generated provider ' || $1 || ' ' || g), 1, now(), now()
         FROM generate_series(1, $2) g ON CONFLICT DO NOTHING`,
        [code, options.organisations],
      );
      await manager.query(
        `CREATE TEMP TABLE gen_orgs ON COMMIT DROP AS SELECT id, (row_number() OVER (ORDER BY legal_name) - 1)::int AS n FROM organisations WHERE legal_name LIKE 'Generated provider ' || $1 || ' %'`,
        [code],
      );
    });
    const organisations = Number((await manager.query(`SELECT count(*) AS n FROM gen_orgs`))[0].n);

    await step(`plan of ${options.cases} cases`, async () => {
      // A few organisations get most cases (cubed random index), as the big providers do.
      // In one pass (an UPDATE of a temporary table larger than temp_buffers took a minute at a million cases).
      await manager.query(
        `CREATE TEMP TABLE gen_cases ON COMMIT DROP AS
         SELECT s.*, (coalesce(counter.last_number, 0) + row_number() OVER (PARTITION BY s.year ORDER BY s.created_at, s.id))::int AS number,
                CASE WHEN s.status = 'closed' THEN s.created_at + (now() - s.created_at) * (0.3 + random() * 0.6) END AS closed_at
         FROM (
           SELECT id, n, created_at, officer_n, org_n, shared, extract(year FROM created_at AT TIME ZONE $5)::int AS year,
                  CASE WHEN created_at < now() - 365 * ${DAY}
                       THEN CASE WHEN r < 0.97 THEN 'closed' ELSE 'decided' END
                       ELSE CASE WHEN r < 0.10 THEN 'open' WHEN r < 0.40 THEN 'awaiting_response' WHEN r < 0.55 THEN 'under_review' WHEN r < 0.70 THEN 'decided' ELSE 'closed' END
                  END AS status
           FROM (SELECT gen_random_uuid() AS id, g AS n, now() - random() * 2920 * ${DAY} AS created_at, random() AS r,
                        floor(random() * $2)::int AS officer_n, floor(power(random(), 3) * $3)::int AS org_n, random() < 0.01 AS shared
                 FROM generate_series(1, $1) g OFFSET 0) planned
         ) s LEFT JOIN case_reference_counters counter ON counter.authority_id = $4 AND counter.year = s.year`,
        [options.cases, officers, organisations, authorityId, timezone],
      );
    });

    await step('cases', () =>
      manager.query(
        `INSERT INTO cases (id, authority_id, reference, title, organisation_id, products, type, legal_basis, priority, assignee_id, tags, risk_flags,
                            status, version, shared_for_coordination, created_at, updated_at, closed_at, close_reason)
         SELECT c.id, $1, $2 || '-' || c.year || '-' || CASE WHEN c.number < 10000 THEN lpad(c.number::text, 4, '0') ELSE c.number::text END,
                'Generated case ' || c.n, o.id, '{}', 'ex_officio', NULL, 'normal', u.id, '{}', '{}',
                c.status, 1, c.shared, c.created_at, coalesce(c.closed_at, c.created_at), c.closed_at, CASE WHEN c.status = 'closed' THEN 'generated' END
         FROM gen_cases c JOIN gen_orgs o ON o.n = c.org_n JOIN gen_officers u ON u.n = c.officer_n`,
        [authorityId, code],
      ),
    );
    await manager.query(
      `INSERT INTO case_reference_counters (authority_id, year, last_number) SELECT $1, year, max(number) FROM gen_cases GROUP BY year
       ON CONFLICT (authority_id, year) DO UPDATE SET last_number = GREATEST(case_reference_counters.last_number, EXCLUDED.last_number)`,
      [authorityId],
    );

    await step('inquiries', async () => {
      await manager.query(
        `CREATE TEMP TABLE gen_inquiries ON COMMIT DROP AS
         SELECT c.id AS case_id, c.n, c.status AS case_status, gen_random_uuid() AS inquiry_id, gen_random_uuid() AS deadline_id, LEAST(c.created_at + ${DAY}, now()) AS sent_at
         FROM gen_cases c WHERE c.status <> 'open'`,
      );
      await manager.query(
        `INSERT INTO inquiries (id, authority_id, case_id, template_key, template_version, locale, to_addresses, cc_addresses, questions, subject, html, text,
                                reply_token, reply_to, status, sent_at, deadline_id, created_by, created_at)
         SELECT i.inquiry_id, $1, i.case_id, 'ai-inquiry', 1, 'en', '{dpo@provider.example}', '{}',
                '[{"number":1,"id":"ai.collection.categories","topic":"collection","text":"Which personal data?"}]', 'Generated inquiry',
                '', CASE WHEN $2 THEN ${generatedText('i.n', '0', 3)} ELSE '' END,
                'gen' || replace(i.inquiry_id::text, '-', ''), 'reply+generated@docket.local', 'sent', i.sent_at, i.deadline_id, 'generate-data', i.sent_at
         FROM gen_inquiries i`,
        [authorityId, texts > 0, ...TEXT_PARAMETERS],
      );
    });

    await step(`deadlines: ${options.deadlinesPerCase} per case`, () =>
      manager.query(
        `INSERT INTO deadlines (id, authority_id, case_id, inquiry_id, kind, label, event_at, rule, due_date, due_at, explanation, status, suspended_at, suspend_reason, settled_at, reminder_plan, version)
         SELECT id, $1, case_id, inquiry_id, kind, label, due_at - 20 * ${DAY}, '{"type":"period","count":20,"unit":"calendar_days"}', (due_at AT TIME ZONE $2)::date, due_at, '[]',
                status, CASE WHEN status = 'suspended' THEN now() - r * 10 * ${DAY} END, CASE WHEN status = 'suspended' THEN 'generated' END,
                CASE WHEN status IN ('met', 'missed', 'waived') THEN settled_at END, '[]', 1
         FROM (
           SELECT rolled.*,
                  CASE
                    WHEN is_response AND status = 'met' THEN sent_at + 20 * ${DAY}
                    WHEN status IN ('pending', 'suspended') THEN now() + r2 * 120 * ${DAY}
                    WHEN status = 'missed' THEN now() - (1 + r2 * 199) * ${DAY}
                    ELSE LEAST(created_at + k * 20 * ${DAY}, now() - ${DAY})
                  END AS due_at,
                  CASE
                    WHEN is_response AND status = 'met' THEN GREATEST(sent_at, LEAST(now() - interval '1 hour', sent_at + r2 * 30 * ${DAY}))
                    WHEN status = 'missed' THEN now() - r2 * 99 * ${DAY}
                    ELSE LEAST(created_at + k * 20 * ${DAY}, now() - ${DAY}) - r2 * 5 * ${DAY}
                  END AS settled_at
           FROM (
             SELECT base.*,
                    CASE
                      WHEN case_status = 'closed' THEN CASE WHEN r < 0.8 THEN 'met' ELSE 'waived' END
                      WHEN is_response AND case_status <> 'awaiting_response' THEN 'met'
                      WHEN is_response THEN CASE WHEN r < 0.8 THEN 'pending' ELSE 'missed' END
                      WHEN r < 0.55 THEN 'pending' WHEN r < 0.65 THEN 'missed' WHEN r < 0.70 THEN 'suspended' ELSE 'met'
                    END AS status,
                    CASE WHEN is_response THEN 'response' WHEN k = 2 THEN 'compliance' WHEN k = 3 THEN 'follow_up_check' ELSE 'other' END AS kind,
                    CASE WHEN is_response THEN 'Response to the ai-inquiry letter' WHEN k = 2 THEN 'Compliance with the decision' WHEN k = 3 THEN 'Follow-up check' ELSE 'Generated deadline ' || k END AS label
             FROM (
               -- random() here, behind OFFSET 0, is drawn once per row and read by both levels above.
               SELECT CASE WHEN k = 1 AND i.inquiry_id IS NOT NULL THEN i.deadline_id ELSE gen_random_uuid() END AS id,
                      c.id AS case_id, c.status AS case_status, c.created_at, k,
                      CASE WHEN k = 1 THEN i.inquiry_id END AS inquiry_id, i.sent_at, (k = 1 AND i.inquiry_id IS NOT NULL) AS is_response,
                      random() AS r, random() AS r2
               FROM gen_cases c CROSS JOIN generate_series(1, $3) k LEFT JOIN gen_inquiries i ON i.case_id = c.id
               OFFSET 0
             ) base
             OFFSET 0
           ) rolled
         ) generated`,
        [authorityId, timezone, options.deadlinesPerCase],
      ),
    );

    await step('responses', () =>
      manager.query(
        `INSERT INTO responses (authority_id, case_id, inquiry_id, received_at, channel, summary, deadline_id, met_deadline, due_at, on_time, late_by_days, days_to_respond, created_by, created_at)
         SELECT $1, d.case_id, d.inquiry_id, d.settled_at, (ARRAY['email', 'portal', 'post'])[1 + floor(random() * 3)::int], 'Generated response', d.id, true, d.due_at,
                d.settled_at <= d.due_at,
                CASE WHEN d.settled_at <= d.due_at THEN 0 ELSE GREATEST(0, (d.settled_at AT TIME ZONE $2)::date - d.due_date) END,
                GREATEST(0, (d.settled_at AT TIME ZONE $2)::date - (i.sent_at AT TIME ZONE $2)::date), 'generate-data', d.settled_at
         FROM gen_inquiries i JOIN deadlines d ON d.id = i.deadline_id WHERE d.status = 'met'`,
        [authorityId, timezone],
      ),
    );

    await step('outcomes', () =>
      manager.query(
        `INSERT INTO outcomes (authority_id, case_id, type, decided_at, summary, legal_basis, published, fine_amount, fine_currency, referral_to, notice_to, created_by, created_at)
         SELECT $1, id, type, created_at + (coalesce(closed_at, now()) - created_at) * 0.5, 'Generated outcome', NULL, false,
                CASE WHEN type = 'fine' THEN 10000 * (1 + floor(r * 1000)) END, CASE WHEN type = 'fine' THEN 'EUR' END,
                CASE WHEN type = 'referral' THEN 'Generated authority' END, CASE WHEN type = 'third_party_notice' THEN 'App stores' END, 'generate-data', now()
         FROM (
           SELECT c.id, c.created_at, c.closed_at, r,
                  (ARRAY['no_action', 'recommendation', 'corrective_order', 'processing_limitation', 'suspension', 'fine', 'referral', 'third_party_notice', 'commitments'])[1 + floor(r * 9)::int] AS type
           FROM (SELECT c.*, random() AS r FROM gen_cases c WHERE c.status = 'decided' OR (c.status = 'closed' AND c.n % 5 <> 0) OFFSET 0) c
         ) decided`,
        [authorityId],
      ),
    );

    if (texts > 0)
      await step('replies by e-mail to the letters of cases past awaiting a response', () =>
        manager.query(
          `INSERT INTO inbound_messages (authority_id, case_id, inquiry_id, status, matched_by, received_at, envelope_from, envelope_to, from_address,
                                         subject, message_id, text_body, attachments, raw_sha256, raw_size, handled_by, handled_at)
           SELECT $1, i.case_id, i.inquiry_id, 'confirmed', 'token', LEAST(i.sent_at + 10 * ${DAY}, now()), 'dpo@provider.example',
                  ARRAY['reply+generated@docket.local'], 'dpo@provider.example', 'Re: Generated inquiry', NULL,
                  ${generatedText('i.n', '1')}, '[]', 'generated-' || i.inquiry_id, 1000, 'generate-data', now()
           FROM gen_inquiries i WHERE i.case_status <> 'awaiting_response'`,
          [authorityId, ...TEXT_PARAMETERS],
        ),
      );
    const notes = `GREATEST(${options.notesPerCase ?? 0}, ${texts} - (CASE WHEN c.status = 'open' THEN 0 WHEN c.status = 'awaiting_response' THEN 1 ELSE 2 END))`;
    if (options.notesPerCase || texts > 0)
      await step('notes of generated text', () =>
        manager.query(
          `INSERT INTO case_notes (authority_id, case_id, author_id, author_label, text, created_at)
           SELECT $1, c.id, NULL, 'generate-data', ${generatedText('c.n', 'k + 1')}, c.created_at + k * interval '1 hour'
           FROM gen_cases c CROSS JOIN LATERAL generate_series(1, ${notes}) k`,
          [authorityId, ...TEXT_PARAMETERS],
        ),
      );
    await step('search documents of the generated rows, set-based', () => indexGenerated(manager, authorityId));
    if (!options.keepTriggers) {
      await step('dashboard counters and next due instants, set-based', () => backfillDerived(manager, authorityId));
      await switchTriggers(manager, DERIVED_TRIGGERS, 'ENABLE');
    }
  });

  // Outside the transaction: give the planner statistics and the visibility map (index-only scans) that
  // autovacuum would give a live database.
  if (options.keepTriggers)
    await step('dashboard counters folded', async () => {
      const [{ id }] = (await dataSource.query(`SELECT id FROM authorities WHERE code = $1`, [options.authority])) as {
        id: string;
      }[];
      await dataSource.query(FOLD_SQL, [id]);
    });
  for (const table of [
    'cases',
    'inquiries',
    'deadlines',
    'responses',
    'outcomes',
    'dashboard_counters',
    'dashboard_totals',
    'organisations',
    'users',
    'case_notes',
    'inbound_messages',
    'search_documents',
  ]) {
    await step(`vacuum analyze ${table}`, () => dataSource.query(`VACUUM (ANALYZE) "${table}"`));
  }
  const [totals] = await dataSource.query(
    `SELECT (SELECT count(*) FROM cases c JOIN authorities a ON a.id = c.authority_id WHERE a.code = $1) AS cases,
            (SELECT count(*) FROM deadlines d JOIN authorities a ON a.id = d.authority_id WHERE a.code = $1) AS deadlines,
            (SELECT count(*) FROM responses r JOIN authorities a ON a.id = r.authority_id WHERE a.code = $1) AS responses,
            pg_size_pretty(pg_database_size(current_database())) AS size`,
    [options.authority],
  );
  out(
    `generated for ${options.authority} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${totals.cases} cases, ${totals.deadlines} deadlines, ${totals.responses} responses in all; database ${totals.size}`,
  );
}

/** The search triggers on the tables generated in bulk (migration 1764000018400). */
const SEARCH_TRIGGERS = [
  ['cases', 'search_case_write'],
  ['inquiries', 'search_inquiry_write'],
  ['inbound_messages', 'search_inbound_write'],
  ['case_notes', 'search_note_write'],
  ['responses', 'search_response_write'],
  ['outcomes', 'search_outcome_write'],
] as const;

/**
 * The statement-level triggers that derive data from cases, deadlines and responses: the dashboard counters
 * (migration 1764000031500) and cases.next_due_at (migration 1764000031100). Fired once for millions of rows that
 * have no statistics yet, they took more than an hour at a million cases; the generator loads with them off and
 * backfills once. Updates are off too: the backfill of next_due_at updates cases, and the counter deltas of that
 * would only cancel out.
 */
export const DERIVED_TRIGGERS = [
  ['cases', 'reporting_cases_inserted'],
  ['cases', 'reporting_cases_updated'],
  ['deadlines', 'reporting_deadlines_inserted'],
  ['deadlines', 'cases_next_due_inserted'],
  ['responses', 'reporting_responses_inserted'],
] as const;

async function switchTriggers(
  manager: EntityManager,
  triggers: readonly (readonly [string, string])[],
  to: 'ENABLE' | 'DISABLE',
): Promise<void> {
  for (const [table, trigger] of triggers) await manager.query(`ALTER TABLE "${table}" ${to} TRIGGER "${trigger}"`);
}

/**
 * What DERIVED_TRIGGERS would have written for an authority's rows, by the triggers' own functions: each case
 * with a pending deadline gets its earliest due instant (cases_next_due_refresh, the one the triggers call; the
 * rest keep the column's default, 'infinity', as there), and the counters are replaced by a recount with the
 * functions the counter triggers use (ReportingRepository.rebuild's statement). The planner gets statistics first:
 * the tables were loaded in this transaction.
 */
export async function backfillDerived(manager: EntityManager, authorityId: string): Promise<void> {
  await manager.query(`ANALYZE cases, deadlines, responses`);
  await manager.query(
    `SELECT cases_next_due_refresh(ARRAY(SELECT DISTINCT case_id FROM deadlines WHERE authority_id = $1 AND status = 'pending'))`,
    [authorityId],
  );
  await manager.query(REBUILD_SQL, [authorityId]);
}

/** Parameters $2… of generatedText (after the authority's $1). */
const TEXT_PARAMETERS = [NOTE_WORDS, SEARCH_RARE_EVERY, SEARCH_RARE_WORD, SEARCH_KOREAN_PHRASE];

/**
 * 10 to 17 words of a regulator's file, one text in SEARCH_RARE_EVERY with the rare word and one in 33 with a Korean
 * sentence. The placeholders are the text parameters at their position in TEXT_PARAMETERS, after the authority.
 */
function generatedText(n: string, k: string, first = 2): string {
  const [words, every, rare, korean] = [first, first + 1, first + 2, first + 3].map((i) => `$${i}`);
  return `((SELECT string_agg((${words}::text[])[1 + floor(random() * cardinality(${words}::text[]))::int], ' ') FROM generate_series(1, 10 + (${n} + ${k}) % 8))
           || CASE WHEN random() < 1.0 / ${every}::int THEN ' ' || ${rare}::text ELSE '' END
           || CASE WHEN random() < 0.03 THEN ' 개인정보 ' || ${korean}::text || '을 변경하였습니다' ELSE '' END)`;
}

/**
 * The search documents of the generated rows, as the triggers' functions write them (search_put: heading weighs
 * A, the stemmed body B, every word as written and the bigrams of Korean and Japanese D), in one statement, with
 * the GIN indexes dropped meanwhile and built again at the end (far faster than keeping them up row by row).
 */
async function indexGenerated(manager: EntityManager, authorityId: string): Promise<void> {
  const indexes = (await manager.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_documents' AND indexdef LIKE '%USING gin%'`,
  )) as { indexname: string; indexdef: string }[];
  for (const index of indexes) await manager.query(`DROP INDEX "${index.indexname}"`);
  const config = `search_authority_config($1)`;
  await manager.query(
    `INSERT INTO search_documents (kind, source_id, authority_id, case_id, organisation_id, label, heading, body, config, tsv, updated_at)
     SELECT kind, source_id, $1, case_id, NULL, left(label, 500), heading, body, config,
            setweight(to_tsvector(config, heading), 'A') || setweight(to_tsvector(config, left(body, 200000)), 'B')
              || setweight(to_tsvector('simple', heading || ' ' || left(body, 200000)), 'D')
              || setweight(to_tsvector('simple', search_cjk_grams(heading || ' ' || body)), 'D'),
            now()
     FROM (
       SELECT 'case' AS kind, c.id::text AS source_id, c.id AS case_id, 'Case reference and title' AS label, c.title AS heading,
              c.reference || ' ' || replace(c.reference, '-', ' ') AS body, ${config} AS config
         FROM cases c JOIN gen_cases g ON g.id = c.id
       UNION ALL
       SELECT 'letter', i.id::text, i.case_id, 'Letter: ' || i.subject, i.subject, i.text || ' ' || array_to_string(i.to_addresses, ' '), search_config(i.locale)
         FROM inquiries i JOIN gen_inquiries g ON g.inquiry_id = i.id
       UNION ALL
       SELECT 'reply', m.id::text, m.case_id, 'Reply from ' || m.from_address, m.subject, m.from_address || ' ' || m.text_body, ${config}
         FROM inbound_messages m JOIN gen_inquiries g ON g.inquiry_id = m.inquiry_id
       UNION ALL
       SELECT 'note', n.id::text, n.case_id, 'Note by ' || n.author_label, '', n.text, ${config}
         FROM case_notes n JOIN gen_cases g ON g.id = n.case_id
       UNION ALL
       SELECT 'response', r.id::text, r.case_id, 'Summary of the response', '', r.summary, ${config}
         FROM responses r JOIN gen_cases g ON g.id = r.case_id
       UNION ALL
       SELECT 'outcome', o.id::text, o.case_id, 'Outcome (' || replace(o.type, '_', ' ') || ')', '', concat_ws(' ', o.summary, o.referral_to, o.notice_to), ${config}
         FROM outcomes o JOIN gen_cases g ON g.id = o.case_id
     ) documents
     WHERE btrim(heading) <> '' OR btrim(body) <> ''
     ON CONFLICT (kind, source_id) DO NOTHING`,
    [authorityId],
  );
  // Shared cases' documents are in the index every authority's search reads (search_index_case).
  await manager.query(
    `UPDATE search_documents d SET shared = true FROM cases c JOIN gen_cases g ON g.id = c.id
      WHERE c.shared_for_coordination AND d.kind = 'case' AND d.source_id = c.id::text`,
  );
  for (const index of indexes) await manager.query(index.indexdef);
  await switchTriggers(manager, SEARCH_TRIGGERS, 'ENABLE');
}

async function ensureAuthority(
  manager: EntityManager,
  code: string,
): Promise<{ id: string; code: string; timezone: string }> {
  await manager.query(
    `INSERT INTO authorities (code, name, country, timezone, locale, holiday_region, weekend_days)
     VALUES ($1, $1 || ' (generated bench authority)', 'IT', 'Europe/Rome', 'it-IT', 'IT', '{6,7}') ON CONFLICT (code) DO NOTHING`,
    [code],
  );
  const [row] = (await manager.query(`SELECT id, code, timezone FROM authorities WHERE code = $1`, [code])) as {
    id: string;
    code: string;
    timezone: string;
  }[];
  return row;
}
