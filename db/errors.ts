// What a database error says about itself: a refusal of the data (SQLSTATE class 22, data exception; 23,
// integrity constraint violation) comes back the same however often it is sent, while anything else
// (connection lost, server shutting down, a lock timeout) may pass.
import pg from 'pg';

/** The SQLSTATE when Postgres refused the statement's data for good; undefined for any other error. */
export function dataRefusalCode(error: unknown): string | undefined {
  if (!(error instanceof pg.DatabaseError) || typeof error.code !== 'string') return undefined;
  return error.code.startsWith('22') || error.code.startsWith('23') ? error.code : undefined;
}
