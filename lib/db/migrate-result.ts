/** What opening a database did to its schema (migrateDatabase, migratePostgres). */
export interface MigrateResult {
  /** Migrations this call applied (empty when the database was up to date). */
  applied: string[];
  /** True when the cheap check found every migration applied and the engine was not loaded. */
  skippedEngine: boolean;
  ms: number;
  /** Runs stored by earlier versions (before step blocks or text blocks) that this call converted. */
  converted: number;
}
