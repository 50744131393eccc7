// Child process for crash.test.ts: starts an import and kills itself with SIGKILL once the
// transaction has written 1,000 rows, so nothing gets a chance to roll back or commit.
import { importPipelineFile } from '../../../core/pipeline/import.js';
import { openDatabase } from '../../../core/store/db.js';

const [dbFile, dataDir, clientId, file] = process.argv.slice(2);
if (!dbFile || !dataDir || !clientId || !file) throw new Error('usage: import-then-crash DB DATA_DIR CLIENT_ID FILE');

const clock = { now: () => Date.UTC(2026, 11, 2) };
const db = openDatabase({ file: dbFile, clock });
await importPipelineFile(db, {
  clock,
  clientId: Number(clientId),
  file,
  dataDir,
  onProgress: (progress) => {
    if (progress.phase === 'writing' && progress.rowsWritten >= 1000) {
      process.stdout.write(`writing ${progress.rowsWritten}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
process.stdout.write('import finished without being killed\n');
