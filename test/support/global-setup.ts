// Gives this test run an id; each test file clones its own database from a migrated template of the run.
export default async function globalSetup(): Promise<void> {
  process.env.DOCKET_TEST_RUN = `${Date.now().toString(36)}${process.pid}`;
}
