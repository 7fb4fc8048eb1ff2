/**
 * LIM Studio's storage API (server only). Everything outside lib/db uses these functions and
 * the shapes in ./types; nothing else imports the generated Prisma client.
 */
export { databaseUrl } from "./client";
export { closeDb, getPrisma } from "./connection";
export { DatabaseBusyError, RunExistsError } from "./errors";
export { writeRun, type FillRun } from "./write-run";
export { appendRun, type FillAppend, type RunAppender } from "./append-run";
export { deleteRun, getRun, listRuns, storeRunCounts } from "./runs";
export { getExamples, getPrompts, getSample, loadRunColumns, loadSamples, streamSampleBlocks } from "./samples";
export { getDatasetRows, getDatasetRowsOfPrompts, streamDatasetRows } from "./dataset";
export {
  deleteSavedSet,
  getSavedSet,
  insertSavedSet,
  listSavedSets,
  savedSetFile,
  savedSetIdentities,
} from "./saved-sets";
export { SetExistsError, type NewSavedSet, type SavedSetFileInfo, type SavedSetRecord } from "./saved-set-record";
export type * from "./types";
