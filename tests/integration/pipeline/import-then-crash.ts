// Child process for crash.test.ts: starts an import and kills itself with SIGKILL once 1,000 rows
// have been read (phase `reading`) or written (phase `writing`), so nothing gets a chance to clean
// up or finish.
import { importPipelineFile } from '../../../core/pipeline/import.js';
import { openDatabase } from '../../../core/store/db.js';

const [dbFile, dataDir, clientId, file, phase] = process.argv.slice(2);
if (!dbFile || !dataDir || !clientId || !file || (phase !== 'reading' && phase !== 'writing')) {
  throw new Error('usage: import-then-crash DB DATA_DIR CLIENT_ID FILE reading|writing');
}

const clock = { now: () => Date.UTC(2026, 11, 2) };
const db = openDatabase({ file: dbFile, clock, checkpoints: 'background' });
await importPipelineFile(db, {
  clock,
  clientId: Number(clientId),
  file,
  dataDir,
  onProgress: (progress) => {
    const rows = phase === 'reading' ? progress.rowsRead : progress.rowsWritten;
    if (progress.phase === phase && rows >= 1000) {
      process.stdout.write(`${phase} ${rows}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
process.stdout.write('import finished without being killed\n');
