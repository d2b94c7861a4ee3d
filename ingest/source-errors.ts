// One function translates source-database driver errors into IngestErrors that name the problem.
import { IngestError, errorMessage } from '../lib/errors.ts';
import { explainConnectionError } from '../lib/pg-tls.ts';
import type { TableMapping } from './mapping.ts';

/** `sourceUrl`, when given, lets a TLS failure say which setting to change (never printed itself). */
export function translateSourceError(error: unknown, mapping?: TableMapping, sourceUrl?: string): IngestError {
  if (error instanceof IngestError) return error;
  const tls = sourceUrl ? explainConnectionError(error, 'SOURCE_DATABASE_URL (or DATABASE_URL when the source is Pulse\'s own database)', sourceUrl) : null;
  if (tls) return new IngestError(tls.code, tls.message, { cause: error });
  const code = (error as { code?: string }).code;
  const where = mapping ? ` (Pulse table ${mapping.table.name}, source ${mapping.sourceName})` : '';
  switch (code) {
    case '42P01':
      return new IngestError('source_table_missing', `Source table does not exist${where}: ${errorMessage(error)}`, { cause: error });
    case '42703':
      return new IngestError('source_column_missing', `Source column does not exist${where}: ${errorMessage(error)}`, { cause: error });
    case '42601':
      return new IngestError('source_sql_invalid', `Source SQL has a syntax error${where}: ${errorMessage(error)}`, { cause: error });
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
      return new IngestError('source_value_invalid', `A source value does not fit Pulse's field type${where}: ${errorMessage(error)}`, { cause: error });
    case '28P01':
    case '28000':
      return new IngestError('source_auth_failed', `Cannot sign in to the source database: ${errorMessage(error)}`, { cause: error });
    case '3D000':
      return new IngestError('source_database_missing', `Source database does not exist: ${errorMessage(error)}`, { cause: error });
    case 'ECONNREFUSED':
      return new IngestError('source_unreachable', `Cannot reach the source database: ${errorMessage(error)}`, { cause: error });
    default:
      return new IngestError('source_failed', `Reading the source failed${where}: ${errorMessage(error)}`, { cause: error });
  }
}
